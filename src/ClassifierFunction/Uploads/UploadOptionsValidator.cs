using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Uploads;

[OptionsValidator]
internal sealed partial class UploadOptionsValidator : IValidateOptions<UploadOptions>;
