namespace Mic.ClassifierFunction.Uploads;

/// <summary>
/// What <c>GET /uploads</c> tells the page: uploads are on, for images up to <see cref="MaxBytes"/>, while
/// <c>POST /classify</c> takes bodies up to <see cref="MaxRequestBytes"/>.
/// </summary>
internal sealed record UploadSettings(long MaxBytes, int ExpirySeconds, long MaxRequestBytes);
