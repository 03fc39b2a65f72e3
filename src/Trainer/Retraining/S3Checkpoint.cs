using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Mic.Trainer.Training;

namespace Mic.Trainer.Retraining;

/// <summary>
/// The S3 copy of a run's local <see cref="Checkpoint"/> folder, under <c>s3://bucket/checkpoints/&lt;job id&gt;/</c>, so
/// that the next attempt of a job (a Spot instance taken back, a host lost) continues from the last finished epoch.
/// <c>state.json</c> is written last and removed first, so a half-written upload is never taken for a checkpoint. The
/// client is borrowed, not disposed.
/// </summary>
internal sealed class S3Checkpoint(IAmazonS3 client, string bucket, string jobId)
{
    public const string Prefix = "checkpoints/";
    private const string StateFile = "state.json";

    public string KeyPrefix { get; } = $"{Prefix}{jobId}/";

    public string Location => $"s3://{bucket}/{KeyPrefix}";

    /// <summary>Replaces the S3 copy with the local checkpoint folder's files.</summary>
    public async Task UploadAsync(string localCheckpoint, CancellationToken cancellationToken)
    {
        var files = Directory.GetFiles(localCheckpoint).Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        if (!files.Contains(StateFile))
        {
            throw new InvalidDataException($"{localCheckpoint}: no {StateFile}; not a checkpoint");
        }

        await client.DeleteObjectAsync(bucket, KeyPrefix + StateFile, cancellationToken);
        foreach (var file in files.Where(f => f != StateFile).Order(StringComparer.Ordinal))
        {
            await PutAsync(Path.Combine(localCheckpoint, file), file, cancellationToken);
        }

        foreach (var stale in (await ListAsync(cancellationToken)).Where(k => !files.Contains(k[KeyPrefix.Length..])))
        {
            await client.DeleteObjectAsync(bucket, stale, cancellationToken);
        }

        await PutAsync(Path.Combine(localCheckpoint, StateFile), StateFile, cancellationToken);
    }

    /// <summary>
    /// Copies the S3 checkpoint into <paramref name="localCheckpoint"/> (replacing what is there); false when there is
    /// none (the earlier attempt ended before its first epoch finished).
    /// </summary>
    public async Task<bool> DownloadAsync(string localCheckpoint, CancellationToken cancellationToken)
    {
        var keys = await ListAsync(cancellationToken);
        if (!keys.Contains(KeyPrefix + StateFile, StringComparer.Ordinal))
        {
            return false;
        }

        if (Directory.Exists(localCheckpoint))
        {
            Directory.Delete(localCheckpoint, recursive: true);
        }

        Directory.CreateDirectory(localCheckpoint);
        foreach (var key in keys)
        {
            using var response = await client.GetObjectAsync(bucket, key, cancellationToken);
            await response.WriteResponseStreamToFileAsync(Path.Combine(localCheckpoint, key[KeyPrefix.Length..]), false, cancellationToken);
        }

        return true;
    }

    /// <summary>Removes the S3 copy (after a publish: a finished job has nothing to resume).</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken)
    {
        await client.DeleteObjectAsync(bucket, KeyPrefix + StateFile, cancellationToken);
        foreach (var key in await ListAsync(cancellationToken))
        {
            await client.DeleteObjectAsync(bucket, key, cancellationToken);
        }
    }

    private async Task PutAsync(string path, string name, CancellationToken cancellationToken) =>
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = KeyPrefix + name, FilePath = path }, cancellationToken);

    private async Task<List<string>> ListAsync(CancellationToken cancellationToken)
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = bucket, Prefix = KeyPrefix };
        ListObjectsV2Response response;
        do
        {
            try
            {
                response = await client.ListObjectsV2Async(request, cancellationToken);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                throw new InvalidDataException($"s3://{bucket}: no such bucket", e);
            }

            keys.AddRange((response.S3Objects ?? []).Select(o => o.Key).Where(k => !k.EndsWith('/')));
            request.ContinuationToken = response.NextContinuationToken;
        }
        while (response.IsTruncated == true);

        return keys;
    }
}
