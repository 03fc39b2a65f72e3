using Mic.ClassifierFunction.Api;
using Mic.ClassifierFunction.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Mic.ClassifierFunction.Feedback;

/// <summary>
/// <c>POST /feedback?label=&lt;label&gt;[&amp;key=uploads/...]</c>: the right label for an image, sent in the body as to
/// <c>POST /classify</c> (raw or as a form's first file), or named by its upload key. 201 with a
/// <see cref="FeedbackReceipt"/> when stored, 200 when that image already had that label; every refusal is a problem
/// and writes nothing.
/// </summary>
internal static class FeedbackApi
{
    public static IEndpointRouteBuilder MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/feedback", PostAsync).DisableAntiforgery();
        return app;
    }

    internal static async Task<Results<Created<FeedbackReceipt>, Ok<FeedbackReceipt>, ProblemHttpResult>> PostAsync(
        HttpRequest request, string? label, string? key, FeedbackIntake intake, IOptions<FeedbackOptions> options,
        CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled)
        {
            return ClassifierApi.Problem(StatusCodes.Status404NotFound, "Feedback is off", "feedback is turned off on this server (Mic:Feedback:Enabled)");
        }

        var outcome = await intake.ReceiveAsync(request, label, key, cancellationToken).ConfigureAwait(false);
        return outcome switch
        {
            { Receipt: { Created: true } receipt } => TypedResults.Created((string?)null, receipt),
            { Receipt: { } receipt } => TypedResults.Ok(receipt),
            _ => outcome.Problem!,
        };
    }
}
