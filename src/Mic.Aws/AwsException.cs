namespace Mic.Aws;

/// <summary>
/// A call to an AWS API failed. The message is one line that names the service, the operation and the reason, fit to
/// print as it is. Subclasses say why: <see cref="AwsServiceException"/> (the service refused), <see
/// cref="AwsConfigurationException"/> (no region or credentials), <see cref="Batch.BatchJobQueueNotFoundException"/>.
/// A network failure or timeout that outlasted the retries is an <see cref="AwsException"/> itself.
/// </summary>
public class AwsException : Exception
{
    public AwsException(string message)
        : base(message)
    {
    }

    public AwsException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
