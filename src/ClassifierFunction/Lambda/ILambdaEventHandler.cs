using System.Text.Json;

namespace Mic.ClassifierFunction.Lambda;

/// <summary>
/// Handles events that are not API Gateway requests (those become ASP.NET Core requests). Handlers are asked in
/// registration order; the first whose <see cref="CanHandle"/> is true gets the event.
/// </summary>
internal interface ILambdaEventHandler
{
    /// <summary>True when <paramref name="payload"/> has this handler's event shape.</summary>
    bool CanHandle(JsonElement payload);

    /// <summary>
    /// Handles the event and returns the invocation's response JSON. An exception fails the invocation (Lambda then
    /// retries an asynchronous event). <paramref name="cancellationToken"/> fires at the invocation's deadline.
    /// </summary>
    Task<byte[]> HandleAsync(LambdaInvocation invocation, JsonElement payload, CancellationToken cancellationToken);
}
