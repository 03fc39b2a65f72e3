using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.Quantization.Internal;

/// <summary>Reads and writes the payload of ONNX initializers (little-endian <c>raw_data</c> or the typed fields).</summary>
internal static class TensorData
{
    public static bool IsFloat(TensorProto tensor) => tensor.DataType == (int)DataType.Float;

    public static long ElementCount(TensorProto tensor) => tensor.Dims.Aggregate(1L, (a, d) => a * d);

    /// <exception cref="NotSupportedException">The tensor is not float, or its data lives in an external file.</exception>
    public static float[] ReadFloats(TensorProto tensor)
    {
        if (!IsFloat(tensor))
        {
            throw new NotSupportedException($"initializer '{tensor.Name}' is {(DataType)tensor.DataType}, not float");
        }

        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new NotSupportedException($"initializer '{tensor.Name}' keeps its data in an external file; load it into the model first");
        }

        if (tensor.RawData.Length > 0)
        {
            var values = new float[tensor.RawData.Length / sizeof(float)];
            var bytes = tensor.RawData.Span;
            if (BitConverter.IsLittleEndian)
            {
                MemoryMarshal.Cast<byte, float>(bytes).CopyTo(values);
            }
            else
            {
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
                }
            }

            return values;
        }

        return [.. tensor.FloatData];
    }

    public static TensorProto Floats(string name, IEnumerable<long> dims, ReadOnlySpan<float> values) =>
        Raw(name, DataType.Float, dims, MemoryMarshal.AsBytes(values));

    public static TensorProto Int8(string name, IEnumerable<long> dims, ReadOnlySpan<sbyte> values) =>
        Raw(name, DataType.Int8, dims, MemoryMarshal.AsBytes(values));

    public static TensorProto Int32(string name, IEnumerable<long> dims, ReadOnlySpan<int> values) =>
        Raw(name, DataType.Int32, dims, MemoryMarshal.AsBytes(values));

    public static TensorProto Int64(string name, IEnumerable<long> dims, ReadOnlySpan<long> values) =>
        Raw(name, DataType.Int64, dims, MemoryMarshal.AsBytes(values));

    public static TensorProto Uint8Scalar(string name, byte value) => Raw(name, DataType.Uint8, [], [value]);

    public static TensorProto FloatScalar(string name, float value) => Floats(name, [], [value]);

    private static TensorProto Raw(string name, DataType type, IEnumerable<long> dims, ReadOnlySpan<byte> bytes)
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; big-endian hosts are not supported");
        }

        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }
}
