namespace Mic.Infra.Tests;

/// <summary>
/// SAM's transform, run once for the test class in one Python process: of infra/training.yaml for every parameter
/// combination, and of every broken copy in <see cref="BrokenCopies"/>.
/// </summary>
public sealed class TransformedTemplates : IAsyncLifetime
{
    private readonly TempDirectory _folder = new();
    private readonly Dictionary<string, (TemplateModel? Model, string? Error)> _combinations = [];
    private readonly List<(TemplateModel? Model, string? Error)> _broken = [];

    public async Task InitializeAsync()
    {
        var names = ParameterCombinations.All.Keys.ToList();
        var text = await File.ReadAllTextAsync(TrainingTemplate.Path);
        var copies = BrokenCopies.ForChecks.Select((copy, i) =>
        {
            var path = _folder.Combine($"broken-{i}.yaml");
            File.WriteAllText(path, BrokenCopies.Apply(text, copy.Find, copy.Replace));
            return path;
        }).ToList();
        var results = await TrainingTemplate.TransformAsync([
            .. names.Select(n => (TrainingTemplate.Path, ParameterCombinations.All[n])),
            .. copies.Select(path => (path, TrainingTemplate.Required))]);
        for (var i = 0; i < results.Count; i++)
        {
            var parameters = i < names.Count ? ParameterCombinations.All[names[i]] : TrainingTemplate.Required;
            var (template, error) = results[i];
            var result = (template is null ? null : new TemplateModel(template, parameters), error);
            if (i < names.Count)
            {
                _combinations[names[i]] = result;
            }
            else
            {
                _broken.Add(result);
            }
        }
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    internal TemplateModel Model(string combination) =>
        _combinations[combination].Model
        ?? throw new InvalidOperationException($"SAM's transform refused the template ({combination}): {_combinations[combination].Error}");

    internal (BrokenCopy Copy, TemplateModel? Model, string? Error) Broken(int index) =>
        (BrokenCopies.ForChecks[index], _broken[index].Model, _broken[index].Error);
}
