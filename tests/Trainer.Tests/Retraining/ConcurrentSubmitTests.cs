using System.Net;
using System.Text;
using System.Text.Json;
using Mic.Trainer.Cli;

namespace Mic.Trainer.Tests.Retraining;

/// <summary>
/// <c>submit</c> refuses while another training job of the queue is still going. moto's Batch without Docker ends a
/// job as soon as it is submitted, so no job there is ever RUNNABLE or RUNNING; instead a loopback server answers the
/// three Batch calls with the shapes the Batch API reference gives (a queue, a RUNNING job summary) and records
/// whether a SubmitJob came.
/// </summary>
public sealed class ConcurrentSubmitTests
{
    [Theory]
    [InlineData("RUNNABLE")]
    [InlineData("RUNNING")]
    public async Task Submit_WhileAJobIsGoing_RefusedNamingTheJobAndNothingSubmitted(string status)
    {
        var calls = new List<string>();
        using var batch = new LoopbackHttpServer(async context =>
        {
            var path = context.Request.Url!.AbsolutePath;
            using var reader = new StreamReader(context.Request.InputStream);
            using var body = JsonDocument.Parse(await reader.ReadToEndAsync());
            lock (calls)
            {
                calls.Add(path);
            }

            var answer = path switch
            {
                "/v1/describejobqueues" => """{"jobQueues": [{"jobQueueName": "mic-training", "jobQueueArn": "arn:aws:batch:us-east-1:123456789012:job-queue/mic-training", "state": "ENABLED", "status": "VALID"}]}""",
                "/v1/listjobs" when body.RootElement.GetProperty("jobStatus").GetString() == status =>
                    """{"jobSummaryList": [{"jobId": "6b1a6a1c-0000-4000-8000-000000000001", "jobName": "mic-scheduled-training", "status": "STATUS", "createdAt": 1796312990000}]}""".Replace("STATUS", status, StringComparison.Ordinal),
                "/v1/listjobs" => """{"jobSummaryList": []}""",
                _ => null,
            };
            context.Response.StatusCode = answer is null ? (int)HttpStatusCode.BadRequest : 200;
            context.Response.ContentType = "application/json";
            var bytes = Encoding.UTF8.GetBytes(answer ?? """{"__type": "ClientException", "message": "unexpected call"}""");
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        });

        var run = await MicTrainCli.RunAsync(new Uri(batch.Url), "submit", "--queue", "mic-training", "--job-definition", "mic-trainer");

        Assert.True(run.ExitCode == PipelineConsole.Refused, run.ToString());
        Assert.Equal($"refused: training job mic-scheduled-training (6b1a6a1c-0000-4000-8000-000000000001) is {status} in mic-training; wait for it (mic-train jobs 6b1a6a1c-0000-4000-8000-000000000001) or pass --allow-concurrent",
            run.Stderr.Trim());
        Assert.DoesNotContain("/v1/submitjob", calls);
    }
}
