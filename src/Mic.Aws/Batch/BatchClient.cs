using Mic.Aws.Batch.Internal;
using Mic.Aws.Internal;

namespace Mic.Aws.Batch;

/// <summary>
/// The AWS Batch operations MIC needs (SubmitJob, DescribeJobs, ListJobs, TerminateJob, DescribeJobQueues), over
/// HTTPS with SigV4 signatures. Every failure is an <see cref="AwsException"/> with a one-line message. Thread-safe;
/// dispose it to release the HTTP client it created (a client passed in is not disposed).
/// </summary>
public sealed class BatchClient : IDisposable
{
    private const string Service = "AWS Batch";
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly AwsJsonTransport _transport;

    public BatchClient(AwsClientOptions? options = null)
        : this(options ?? new AwsClientOptions(), new HttpClient(), ownsHttp: true)
    {
    }

    public BatchClient(AwsClientOptions options, HttpClient http)
        : this(options, http, ownsHttp: false)
    {
    }

    private BatchClient(AwsClientOptions options, HttpClient http, bool ownsHttp)
    {
        _http = http;
        _ownsHttp = ownsHttp;
        _transport = new AwsJsonTransport(http, options, "batch", Service);
    }

    /// <summary>Submits a job after checking that its queue exists and takes jobs.</summary>
    /// <exception cref="BatchJobQueueNotFoundException">No such queue in the region.</exception>
    /// <exception cref="AwsException">The queue is disabled or invalid, or the service refused the job (e.g. an unknown job definition).</exception>
    public async Task<SubmittedJob> SubmitJobAsync(JobSubmission submission, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var queue = await GetJobQueueAsync(submission.JobQueue, cancellationToken).ConfigureAwait(false);
        if (!queue.AcceptsJobs)
        {
            throw new AwsException($"AWS Batch job queue '{queue.Name}' takes no jobs: it is {queue.State} and {queue.Status}"
                + (string.IsNullOrEmpty(queue.StatusReason) ? "" : $" ({queue.StatusReason})"));
        }

        var request = new SubmitJobRequest(submission.JobName, submission.JobQueue, submission.JobDefinition,
            submission.Parameters.Count == 0 ? null : new Dictionary<string, string>(submission.Parameters),
            submission.Environment.Count == 0 ? null : new ContainerOverridesWire([.. submission.Environment.Select(e => new KeyValuePairWire(e.Key, e.Value))]));
        var response = await _transport.SendAsync(Call("SubmitJob", "/v1/submitjob"), request, BatchJsonContext.Default.SubmitJobRequest,
            BatchJsonContext.Default.SubmitJobResponse, cancellationToken).ConfigureAwait(false);
        return new SubmittedJob(response.JobId, response.JobName, response.JobArn);
    }

    /// <summary>The jobs with these ids that Batch still knows (it forgets finished jobs after about a week), in no set order.</summary>
    public async Task<IReadOnlyList<BatchJob>> DescribeJobsAsync(IEnumerable<string> jobIds, CancellationToken cancellationToken)
    {
        var jobs = new List<BatchJob>();
        foreach (var chunk in jobIds.Distinct(StringComparer.Ordinal).Chunk(100))
        {
            var response = await _transport.SendAsync(Call("DescribeJobs", "/v1/describejobs"), new DescribeJobsRequest([.. chunk]),
                BatchJsonContext.Default.DescribeJobsRequest, BatchJsonContext.Default.DescribeJobsResponse, cancellationToken).ConfigureAwait(false);
            jobs.AddRange((response.Jobs ?? []).Select(BatchJobReader.Read));
        }

        return jobs;
    }

    /// <summary>One job, or null when Batch does not know the id.</summary>
    public async Task<BatchJob?> DescribeJobAsync(string jobId, CancellationToken cancellationToken) =>
        (await DescribeJobsAsync([jobId], cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    /// <summary>The queue's jobs in any state created after <paramref name="createdAfter"/>, newest first.</summary>
    /// <exception cref="BatchJobQueueNotFoundException">No such queue in the region.</exception>
    public Task<IReadOnlyList<BatchJob>> ListJobsAsync(string jobQueue, DateTimeOffset createdAfter, CancellationToken cancellationToken) =>
        ListAsync(jobQueue, null, [new KeyValuesPairWire("AFTER_CREATED_AT", [createdAfter.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture)])],
            cancellationToken);

    /// <summary>The queue's jobs in one state, newest first (Batch keeps finished jobs for about a week).</summary>
    /// <exception cref="BatchJobQueueNotFoundException">No such queue in the region.</exception>
    public Task<IReadOnlyList<BatchJob>> ListJobsAsync(string jobQueue, BatchJobStatus status, CancellationToken cancellationToken) =>
        ListAsync(jobQueue, status.ToString().ToUpperInvariant(), null, cancellationToken);

    /// <summary>
    /// Stops a job with a reason that becomes its status reason: a job not yet running is cancelled, a running one is
    /// stopped; it ends FAILED. A finished or unknown job is left as it is.
    /// </summary>
    public async Task TerminateJobAsync(string jobId, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        await _transport.SendAsync(Call("TerminateJob", "/v1/terminatejob"), new TerminateJobRequest(jobId, reason),
            BatchJsonContext.Default.TerminateJobRequest, BatchJsonContext.Default.EmptyResponse, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A job queue by name or ARN.</summary>
    /// <exception cref="BatchJobQueueNotFoundException">No such queue in the region.</exception>
    public async Task<BatchJobQueue> GetJobQueueAsync(string jobQueue, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobQueue);
        var response = await _transport.SendAsync(Call("DescribeJobQueues", "/v1/describejobqueues"), new DescribeJobQueuesRequest([jobQueue]),
            BatchJsonContext.Default.DescribeJobQueuesRequest, BatchJsonContext.Default.DescribeJobQueuesResponse, cancellationToken).ConfigureAwait(false);
        if (response.JobQueues is not [var queue, ..])
        {
            var region = await _transport.GetRegionAsync(cancellationToken).ConfigureAwait(false);
            throw new BatchJobQueueNotFoundException(jobQueue, region);
        }

        return new BatchJobQueue(queue.JobQueueName, queue.JobQueueArn, queue.State ?? "", queue.Status ?? "", queue.StatusReason);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<IReadOnlyList<BatchJob>> ListAsync(string jobQueue, string? status, List<KeyValuesPairWire>? filters,
        CancellationToken cancellationToken)
    {
        await GetJobQueueAsync(jobQueue, cancellationToken).ConfigureAwait(false);
        var jobs = new List<BatchJob>();
        string? next = null;
        do
        {
            var response = await _transport.SendAsync(Call("ListJobs", "/v1/listjobs"), new ListJobsRequest(jobQueue, status, filters, next, 100),
                BatchJsonContext.Default.ListJobsRequest, BatchJsonContext.Default.ListJobsResponse, cancellationToken).ConfigureAwait(false);
            jobs.AddRange((response.JobSummaryList ?? []).Select(BatchJobReader.Read));
            next = response.NextToken;
        }
        while (!string.IsNullOrEmpty(next));

        return [.. jobs.OrderByDescending(j => j.CreatedAt)];
    }

    private static AwsCall Call(string operation, string path) => new(operation, path, "application/json");
}
