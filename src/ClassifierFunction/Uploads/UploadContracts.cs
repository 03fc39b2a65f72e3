namespace Mic.ClassifierFunction.Uploads;

/// <summary>What the page says about the file it wants to upload.</summary>
public sealed record UploadRequest(string? ContentType, long Bytes);

/// <summary>
/// A signed S3 POST form: send <see cref="Fields"/> plus the file (as the last field, named <c>file</c>) to
/// <see cref="Url"/> before <see cref="ExpiresAt"/>; then poll <see cref="ResultUrl"/> (relative to the API).
/// </summary>
public sealed record UploadTicket(string Url, IReadOnlyDictionary<string, string> Fields, string Key, DateTimeOffset ExpiresAt,
    long MaxBytes, string ResultUrl);

/// <summary>What <c>GET /uploads</c> tells the page: uploads are on, with these limits.</summary>
public sealed record UploadSettings(long MaxBytes, int ExpirySeconds);
