using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Mic.Trainer.Cli;

/// <summary>
/// Range checks for numeric options, so a bad value is a one-line parse error naming the option, not a failure deep in
/// training (a zero image size in the resizer, a zero batch in TorchSharp).
/// </summary>
internal static class OptionRules
{
    public static Option<int> AtLeast(this Option<int> option, int min) => AddMinimum(option, r => r.GetValueOrDefault<int>(), min);

    public static Option<int?> AtLeast(this Option<int?> option, int min) => AddMinimum(option, r => r.GetValueOrDefault<int?>(), min);

    /// <summary>Accepts values in (<paramref name="min"/>, <paramref name="max"/>], or [min, max] when <paramref name="minIncluded"/>.</summary>
    public static Option<double> Within(this Option<double> option, double min, double max, bool minIncluded = false)
    {
        option.Validators.Add(result => Check(option.Name, result.GetValueOrDefault<double>(), min, max, minIncluded, result.AddError));
        return option;
    }

    public static Option<double?> Within(this Option<double?> option, double min, double max, bool minIncluded = false)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } value)
            {
                Check(option.Name, value, min, max, minIncluded, result.AddError);
            }
        });
        return option;
    }

    /// <summary>
    /// A learning rate: a positive number, or <c>auto</c>, which parses to <see cref="double.NaN"/> (read it with
    /// <see cref="LearningRateOrAuto"/>). Parsed here, once; anything else is a parse error naming the option.
    /// </summary>
    public static Option<double> LearningRate(this Option<double> option)
    {
        option.CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : "";
            if (text == "auto")
            {
                return double.NaN;
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0)
            {
                return value;
            }

            result.AddError($"{option.Name} must be a positive number (e.g. 2e-3) or 'auto' (got '{text}').");
            return double.NaN;
        };
        return option;
    }

    /// <summary>The rate <see cref="LearningRate"/> parsed, or null for <c>auto</c>.</summary>
    public static double? LearningRateOrAuto(this ParseResult parse, Option<double> option) =>
        parse.GetValue(option) is var rate && double.IsNaN(rate) ? null : rate;

    private static TOption AddMinimum<TOption>(TOption option, Func<OptionResult, int?> read, int min)
        where TOption : Option
    {
        option.Validators.Add(result =>
        {
            if (read(result) is { } value && value < min)
            {
                result.AddError(Invariant($"{option.Name} must be at least {min} (got {value})."));
            }
        });
        return option;
    }

    private static void Check(string name, double value, double min, double max, bool minIncluded, Action<string> error)
    {
        var aboveMin = minIncluded ? value >= min : value > min;
        if (!(aboveMin && value <= max))
        {
            error(Invariant($"{name} must be {(minIncluded ? "at least" : "above")} {min} and at most {max} (got {value})."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
