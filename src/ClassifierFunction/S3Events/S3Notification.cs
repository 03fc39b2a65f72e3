using System.Net;
using Amazon.S3.Util;

namespace Mic.ClassifierFunction.S3Events;

/// <summary>Reads an S3 event notification, as S3 sends it to Lambda directly or as the body of a queue message.</summary>
internal static class S3Notification
{
    /// <summary>
    /// The bucket and decoded key of each <c>ObjectCreated</c> record, in order; null for other records. None for
    /// S3's <c>s3:TestEvent</c> (sent when a notification is set up), which has no records. Keys arrive
    /// form-URL-encoded: <c>+</c> is a space and a real <c>+</c> is <c>%2B</c>.
    /// </summary>
    /// <exception cref="Amazon.Runtime.AmazonClientException">Not an S3 notification (not JSON).</exception>
    public static List<(string Bucket, string Key)?> CreatedObjects(string json) =>
        [.. (S3EventNotification.ParseJson(json).Records ?? []).Select(record =>
            record.EventName?.Value?.Contains("ObjectCreated", StringComparison.Ordinal) == true
            && record.S3?.Bucket?.Name is { } bucket && record.S3.Object?.Key is { } key
                ? ((string, string)?)(bucket, WebUtility.UrlDecode(key))
                : null)];
}
