namespace RnnRunner.Core.Data;

/// <summary>Raised for a damaged, incomplete or malformed dataset; the message names the file (and where in it) at fault.</summary>
public sealed class DatasetException(string message, Exception? inner = null) : Exception(message, inner);
