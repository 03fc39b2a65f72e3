namespace Mic.ClassifierFunction.Lambda;

/// <summary>
/// What the Runtime API is told when an invocation or the start-up fails. <see cref="Type"/> names the failure
/// (it becomes the <c>Lambda-Runtime-Function-Error-Type</c> header); <see cref="Message"/> must hold no secrets.
/// </summary>
internal sealed record LambdaError(string Type, string Message)
{
    public static LambdaError From(Exception exception) => new(exception.GetType().Name, exception.Message);
}
