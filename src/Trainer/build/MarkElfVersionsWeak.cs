// Compiled by MSBuild's RoslynCodeTaskFactory (TorchSharpNativeFix.targets), not part of the trainer assembly.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Sets VER_FLG_WEAK on the named version requirements (e.g. GLIBCXX_3.4.32) in each ELF64 little-endian library's
/// .gnu.version_r section, but only for versions the system's libstdc++.so.6 does not define. Idempotent: a
/// requirement already weak is left alone and an unchanged file is not rewritten.
/// </summary>
public sealed class MarkElfVersionsWeak : Task
{
    private const ushort VerFlagWeak = 0x2;
    private const uint ShtGnuVerneed = 0x6ffffffe;

    [Required]
    public ITaskItem[] Libraries { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>Semicolon-separated version names.</summary>
    [Required]
    public string Versions { get; set; } = "";

    /// <summary>Where to look for the system libstdc++; the first that exists is read.</summary>
    public string[] SystemLibraries { get; set; } =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
    };

    public override bool Execute()
    {
        var system = SystemLibraries.FirstOrDefault(File.Exists);
        if (system is null)
        {
            Log.LogMessage(MessageImportance.Low, "MarkElfVersionsWeak: no system libstdc++.so.6 found; nothing to do");
            return true;
        }

        var systemBytes = File.ReadAllBytes(system);
        var missing = new HashSet<string>(
            Versions.Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(v => v.Trim())
                .Where(v => IndexOf(systemBytes, Encoding.ASCII.GetBytes(v + "\0")) < 0),
            StringComparer.Ordinal);
        if (missing.Count == 0)
        {
            Log.LogMessage(MessageImportance.Low, $"MarkElfVersionsWeak: {system} defines {Versions}; nothing to do");
            return true;
        }

        foreach (var library in Libraries)
        {
            var path = library.GetMetadata("FullPath");
            try
            {
                var bytes = File.ReadAllBytes(path);
                var changed = MarkWeak(bytes, missing);
                if (changed.Count > 0)
                {
                    // Keep the timestamp, so the next incremental build sees an unchanged copy and skips it.
                    var written = File.GetLastWriteTimeUtc(path);
                    File.WriteAllBytes(path, bytes);
                    File.SetLastWriteTimeUtc(path, written);
                    Log.LogMessage(MessageImportance.High,
                        $"MarkElfVersionsWeak: {path}: marked {string.Join(", ", changed)} weak ({system} lacks them)");
                }
            }
            catch (InvalidDataException e)
            {
                Log.LogError($"MarkElfVersionsWeak: {path}: {e.Message}");
            }
        }

        return !Log.HasLoggedErrors;
    }

    /// <summary>Returns the version names whose flags changed.</summary>
    public static List<string> MarkWeak(byte[] elf, ISet<string> versions)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException("not an ELF file");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException("only 64-bit little-endian ELF is supported");
        }

        var sectionOffset = (long)BitConverter.ToUInt64(elf, 0x28);
        int sectionSize = BitConverter.ToUInt16(elf, 0x3a);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3c);
        var changed = new List<string>();
        for (var i = 0; i < sectionCount; i++)
        {
            var header = checked((int)(sectionOffset + (long)i * sectionSize));
            if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            var offset = checked((int)BitConverter.ToUInt64(elf, header + 0x18));
            var link = (int)BitConverter.ToUInt32(elf, header + 0x28);
            var strings = checked((int)BitConverter.ToUInt64(elf, checked((int)(sectionOffset + (long)link * sectionSize)) + 0x18));
            var count = (int)BitConverter.ToUInt32(elf, header + 0x2c); // sh_info: number of Verneed entries
            var need = offset;
            for (var n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, need + 2);
                var aux = need + (int)BitConverter.ToUInt32(elf, need + 8);
                for (var a = 0; a < auxCount; a++)
                {
                    var name = ReadString(elf, strings + (int)BitConverter.ToUInt32(elf, aux + 8));
                    var flags = BitConverter.ToUInt16(elf, aux + 4);
                    if (versions.Contains(name) && (flags & VerFlagWeak) == 0)
                    {
                        BitConverter.GetBytes((ushort)(flags | VerFlagWeak)).CopyTo(elf, aux + 4);
                        changed.Add(name);
                    }

                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }

                need += (int)BitConverter.ToUInt32(elf, need + 12);
            }
        }

        return changed;
    }

    private static string ReadString(byte[] bytes, int start)
    {
        var end = Array.IndexOf(bytes, (byte)0, start);
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return i;
            }
        }

        return -1;
    }
}
