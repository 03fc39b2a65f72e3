using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Hosting;

[OptionsValidator]
internal sealed partial class ClassifierFunctionOptionsValidator : IValidateOptions<ClassifierFunctionOptions>;
