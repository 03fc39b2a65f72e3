using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Configuration;

[OptionsValidator]
internal sealed partial class ClassifierFunctionOptionsValidator : IValidateOptions<ClassifierFunctionOptions>;
