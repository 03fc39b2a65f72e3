using System.Text.Json.Serialization;

namespace Mic.Aws.Batch.Internal;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SubmitJobRequest))]
[JsonSerializable(typeof(SubmitJobResponse))]
[JsonSerializable(typeof(DescribeJobsRequest))]
[JsonSerializable(typeof(DescribeJobsResponse))]
[JsonSerializable(typeof(ListJobsRequest))]
[JsonSerializable(typeof(ListJobsResponse))]
[JsonSerializable(typeof(TerminateJobRequest))]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(DescribeJobQueuesRequest))]
[JsonSerializable(typeof(DescribeJobQueuesResponse))]
internal sealed partial class BatchJsonContext : JsonSerializerContext;
