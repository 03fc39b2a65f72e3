namespace Mic.Aws;

/// <summary>No region or no credentials could be found; the message says how to provide them.</summary>
public sealed class AwsConfigurationException(string message, Exception? innerException = null) : AwsException(message, innerException);
