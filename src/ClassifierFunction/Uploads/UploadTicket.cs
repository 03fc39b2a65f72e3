namespace Mic.ClassifierFunction.Uploads;

/// <summary>
/// A signed S3 POST form: send <see cref="Fields"/> plus the file (as the last field, named <c>file</c>) to
/// <see cref="Url"/> before <see cref="ExpiresAt"/>; then poll <see cref="ResultUrl"/> (relative to the API).
/// </summary>
internal sealed record UploadTicket(string Url, IReadOnlyDictionary<string, string> Fields, string Key, DateTimeOffset ExpiresAt,
    long MaxBytes, string ResultUrl);
