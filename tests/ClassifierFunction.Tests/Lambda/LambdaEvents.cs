using System.Text.Json.Nodes;

namespace Mic.ClassifierFunction.Tests.Lambda;

/// <summary>Events shaped as API Gateway, S3 and SQS send them (field for field from AWS's documented examples).</summary>
internal static class LambdaEvents
{
    public static JsonObject HttpApiV2(string method, string rawPath, byte[]? body = null, string? contentType = null,
        string rawQueryString = "", string stage = "$default", JsonObject? headers = null, JsonArray? cookies = null, bool base64 = true)
    {
        headers ??= [];
        headers["host"] = "abc123.execute-api.eu-west-1.amazonaws.com";
        headers["user-agent"] = "curl/8.5.0";
        if (contentType is not null)
        {
            headers["content-type"] = contentType;
        }

        var lambdaEvent = new JsonObject
        {
            ["version"] = "2.0",
            ["routeKey"] = "$default",
            ["rawPath"] = rawPath,
            ["rawQueryString"] = rawQueryString,
            ["headers"] = headers,
            ["requestContext"] = new JsonObject
            {
                ["accountId"] = "123456789012",
                ["apiId"] = "abc123",
                ["domainName"] = "abc123.execute-api.eu-west-1.amazonaws.com",
                ["http"] = new JsonObject
                {
                    ["method"] = method,
                    ["path"] = rawPath,
                    ["protocol"] = "HTTP/1.1",
                    ["sourceIp"] = "203.0.113.7",
                    ["userAgent"] = "curl/8.5.0",
                },
                ["requestId"] = "id-" + Guid.NewGuid().ToString("N")[..8],
                ["routeKey"] = "$default",
                ["stage"] = stage,
                ["timeEpoch"] = 1764374400000,
            },
            ["isBase64Encoded"] = base64 && body is not null,
        };
        if (cookies is not null)
        {
            lambdaEvent["cookies"] = cookies;
        }

        if (body is not null)
        {
            lambdaEvent["body"] = base64 ? Convert.ToBase64String(body) : System.Text.Encoding.UTF8.GetString(body);
        }

        return lambdaEvent;
    }

    public static JsonObject RestV1(string method, string path, byte[]? body = null, string? contentType = null, string stage = "prod",
        JsonObject? multiValueQuery = null, JsonObject? multiValueHeaders = null)
    {
        multiValueHeaders ??= [];
        multiValueHeaders["Host"] = new JsonArray("abc123.execute-api.eu-west-1.amazonaws.com");
        if (contentType is not null)
        {
            multiValueHeaders["Content-Type"] = new JsonArray(contentType);
        }

        return new JsonObject
        {
            ["resource"] = "/{proxy+}",
            ["path"] = path,
            ["httpMethod"] = method,
            ["headers"] = new JsonObject { ["Host"] = "abc123.execute-api.eu-west-1.amazonaws.com" },
            ["multiValueHeaders"] = multiValueHeaders,
            ["queryStringParameters"] = null,
            ["multiValueQueryStringParameters"] = multiValueQuery,
            ["pathParameters"] = new JsonObject { ["proxy"] = path.TrimStart('/') },
            ["stageVariables"] = null,
            ["requestContext"] = new JsonObject
            {
                ["resourcePath"] = "/{proxy+}",
                ["httpMethod"] = method,
                ["path"] = $"/{stage}{path}",
                ["stage"] = stage,
                ["requestId"] = Guid.NewGuid().ToString(),
                ["identity"] = new JsonObject { ["sourceIp"] = "198.51.100.23" },
            },
            ["body"] = body is null ? null : Convert.ToBase64String(body),
            ["isBase64Encoded"] = body is not null,
        };
    }

    /// <summary>An S3 notification; <paramref name="encodedKeys"/> are as S3 sends them (form-URL-encoded).</summary>
    public static JsonObject S3(string bucket, params string[] encodedKeys) => S3Events(bucket, "ObjectCreated:Put", encodedKeys);

    public static JsonObject S3Events(string bucket, string eventName, params string[] encodedKeys)
    {
        var records = new JsonArray();
        foreach (var key in encodedKeys)
        {
            records.Add(new JsonObject
            {
                ["eventVersion"] = "2.1",
                ["eventSource"] = "aws:s3",
                ["awsRegion"] = "eu-west-1",
                ["eventTime"] = "2026-11-29T10:00:00.000Z",
                ["eventName"] = eventName,
                ["userIdentity"] = new JsonObject { ["principalId"] = "AWS:AIDAEXAMPLE" },
                ["requestParameters"] = new JsonObject { ["sourceIPAddress"] = "203.0.113.7" },
                ["responseElements"] = new JsonObject { ["x-amz-request-id"] = "C3D13FE58DE4C810", ["x-amz-id-2"] = "FMyUVURIY8" },
                ["s3"] = new JsonObject
                {
                    ["s3SchemaVersion"] = "1.0",
                    ["configurationId"] = "classify-uploads",
                    ["bucket"] = new JsonObject
                    {
                        ["name"] = bucket,
                        ["ownerIdentity"] = new JsonObject { ["principalId"] = "A3NL1KOZZKExample" },
                        ["arn"] = $"arn:aws:s3:::{bucket}",
                    },
                    ["object"] = new JsonObject
                    {
                        ["key"] = key,
                        ["size"] = 1024,
                        ["eTag"] = "d41d8cd98f00b204e9800998ecf8427e",
                        ["sequencer"] = "0055AED6DCD90281E5",
                    },
                },
            });
        }

        return new JsonObject { ["Records"] = records };
    }

    /// <summary>
    /// A batch from an SQS queue, one message per body (an S3 notification's JSON, as S3 puts it on the queue); message
    /// ids are <c>message-0</c>, <c>message-1</c>, ...
    /// </summary>
    public static JsonObject Sqs(params string[] bodies)
    {
        var records = new JsonArray();
        for (var i = 0; i < bodies.Length; i++)
        {
            records.Add(new JsonObject
            {
                ["messageId"] = $"message-{i}",
                ["receiptHandle"] = "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a",
                ["body"] = bodies[i],
                ["attributes"] = new JsonObject
                {
                    ["ApproximateReceiveCount"] = "1",
                    ["SentTimestamp"] = "1764374400000",
                    ["SenderId"] = "AIDAIENQZJOLO23YVJ4VO",
                    ["ApproximateFirstReceiveTimestamp"] = "1764374400001",
                },
                ["messageAttributes"] = new JsonObject(),
                ["md5OfBody"] = "e4e68fb7bd0e697a0ae8f1bb342846b3",
                ["eventSource"] = "aws:sqs",
                ["eventSourceARN"] = "arn:aws:sqs:eu-west-1:123456789012:mic-UploadsQueue",
                ["awsRegion"] = "eu-west-1",
            });
        }

        return new JsonObject { ["Records"] = records };
    }
}
