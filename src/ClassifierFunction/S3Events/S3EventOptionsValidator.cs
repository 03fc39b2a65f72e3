using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.S3Events;

[OptionsValidator]
internal sealed partial class S3EventOptionsValidator : IValidateOptions<S3EventOptions>;
