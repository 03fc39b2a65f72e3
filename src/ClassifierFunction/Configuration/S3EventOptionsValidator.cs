using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Configuration;

[OptionsValidator]
internal sealed partial class S3EventOptionsValidator : IValidateOptions<S3EventOptions>;
