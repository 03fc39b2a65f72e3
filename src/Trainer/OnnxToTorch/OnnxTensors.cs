using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace Mic.Trainer.OnnxToTorch;

/// <summary>Converts between ONNX <see cref="TensorProto"/>s and TorchSharp tensors (CPU, little-endian raw data).</summary>
internal static class OnnxTensors
{
    public static Tensor ToTorch(TensorProto proto)
    {
        var dims = proto.Dims.ToArray();
        var type = (DataType)proto.DataType;
        if (proto.DataLocation == TensorProto.Types.DataLocation.External)
        {
            throw new NotSupportedException($"initializer '{proto.Name}' keeps its data in an external file; save the model with its weights inside");
        }

        var raw = proto.RawData.Span;
        return type switch
        {
            DataType.Float => tensor(raw.IsEmpty ? proto.FloatData.ToArray() : MemoryMarshal.Cast<byte, float>(raw).ToArray(), dims),
            DataType.Double => tensor(raw.IsEmpty ? proto.DoubleData.ToArray() : MemoryMarshal.Cast<byte, double>(raw).ToArray(), dims),
            DataType.Int64 => tensor(raw.IsEmpty ? proto.Int64Data.ToArray() : MemoryMarshal.Cast<byte, long>(raw).ToArray(), dims),
            DataType.Int32 => tensor(raw.IsEmpty ? proto.Int32Data.ToArray() : MemoryMarshal.Cast<byte, int>(raw).ToArray(), dims),
            DataType.Uint8 => tensor(raw.IsEmpty ? proto.Int32Data.Select(v => (byte)v).ToArray() : raw.ToArray(), dims),
            DataType.Int8 => tensor(raw.IsEmpty ? proto.Int32Data.Select(v => (sbyte)v).ToArray() : MemoryMarshal.Cast<byte, sbyte>(raw).ToArray(), dims),
            DataType.Bool => tensor(raw.IsEmpty ? proto.Int32Data.Select(v => v != 0).ToArray() : raw.ToArray().Select(v => v != 0).ToArray(), dims),
            DataType.Float16 => tensor(raw.IsEmpty ? proto.Int32Data.Select(v => BitConverter.UInt16BitsToHalf((ushort)v)).ToArray() : MemoryMarshal.Cast<byte, Half>(raw).ToArray(), dims),
            _ => throw new NotSupportedException($"tensor '{proto.Name}' has ONNX data type {type}, which the trainer does not read"),
        };
    }

    /// <summary>A float32 tensor as an ONNX initializer with raw little-endian data.</summary>
    public static TensorProto FromTorch(string name, Tensor value)
    {
        using var cpu = value.detach().cpu().contiguous();
        var proto = new TensorProto { Name = name };
        proto.Dims.AddRange(cpu.shape);
        switch (cpu.dtype)
        {
            case ScalarType.Float32:
                proto.DataType = (int)DataType.Float;
                proto.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(cpu.data<float>().ToArray().AsSpan()));
                break;
            case ScalarType.Int64:
                proto.DataType = (int)DataType.Int64;
                proto.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(cpu.data<long>().ToArray().AsSpan()));
                break;
            default:
                throw new NotSupportedException($"cannot write tensor '{name}' of type {cpu.dtype} to ONNX");
        }

        return proto;
    }

    public static ScalarType ToScalarType(DataType type, string context) => type switch
    {
        DataType.Float => ScalarType.Float32,
        DataType.Double => ScalarType.Float64,
        DataType.Int64 => ScalarType.Int64,
        DataType.Int32 => ScalarType.Int32,
        DataType.Uint8 => ScalarType.Byte,
        DataType.Int8 => ScalarType.Int8,
        DataType.Bool => ScalarType.Bool,
        DataType.Float16 => ScalarType.Float16,
        _ => throw new UnsupportedOnnxOpException($"{context}: ONNX data type {type} is not supported"),
    };

    /// <summary>Reads a small integer tensor (shapes, axes, pads) into a managed array.</summary>
    public static long[] ToLongs(Tensor value)
    {
        using var cpu = value.cpu().to_type(ScalarType.Int64).contiguous();
        return cpu.data<long>().ToArray();
    }

    public static double ToScalar(Tensor value)
    {
        using var cpu = value.cpu().to_type(ScalarType.Float64);
        return cpu.data<double>().ToArray()[0];
    }
}
