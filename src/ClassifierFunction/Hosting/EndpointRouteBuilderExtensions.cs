using Mic.ClassifierFunction.Api;
using Mic.ClassifierFunction.Feedback;
using Mic.ClassifierFunction.Uploads;

namespace Mic.ClassifierFunction.Hosting;

internal static class EndpointRouteBuilderExtensions
{
    /// <summary>Every route of the function: the classifier API, the upload page, the upload routes and feedback.</summary>
    public static IEndpointRouteBuilder MapClassifierApi(this IEndpointRouteBuilder app)
    {
        app.MapClassifierRoutes();
        app.MapUploadPage();
        app.MapUploadsApi();
        app.MapFeedbackApi();
        return app;
    }
}
