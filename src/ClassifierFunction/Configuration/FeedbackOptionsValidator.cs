using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Configuration;

[OptionsValidator]
internal sealed partial class FeedbackOptionsValidator : IValidateOptions<FeedbackOptions>;
