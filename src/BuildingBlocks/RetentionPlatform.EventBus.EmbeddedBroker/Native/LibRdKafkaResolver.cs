using System.Reflection;
using System.Runtime.InteropServices;

namespace RetentionPlatform.EventBus.EmbeddedBroker.Native;

/// <summary>
/// Resolves <see cref="LibRdKafka.LibraryName"/> for this assembly the way Confluent.Kafka does on Linux: the default
/// <c>librdkafka.so</c> from librdkafka.redist first, then its self-contained <c>centos8-librdkafka.so</c>.
/// </summary>
/// <remarks>
/// The default Linux build links against <c>libsasl2.so.3</c>, which Debian does not ship, so it fails to load there.
/// Probing by file name through the same native search directories Confluent.Kafka uses makes both end up with the
/// same file, which the dynamic loader maps only once.
/// </remarks>
internal static class LibRdKafkaResolver
{
    private const string SelfContainedLinuxFileName = "centos8-librdkafka.so";

    // An older system librdkafka without the mock cluster would otherwise fail later with EntryPointNotFoundException.
    private const string RequiredExport = "rd_kafka_mock_cluster_new";

    static LibRdKafkaResolver() =>
        NativeLibrary.SetDllImportResolver(typeof(LibRdKafkaResolver).Assembly, Resolve);

    /// <summary>Registers the resolver (once, thread-safely, through the static constructor).</summary>
    public static void EnsureRegistered()
    {
    }

    private static nint Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (libraryName != LibRdKafka.LibraryName)
        {
            return 0;
        }

        if (TryLoad(libraryName, assembly, searchPath, out var handle))
        {
            return handle;
        }

        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        if (TryLoad(SelfContainedLinuxFileName, assembly, searchPath, out handle))
        {
            return handle;
        }

        foreach (var path in SelfContainedLinuxPaths())
        {
            if (File.Exists(path) && NativeLibrary.TryLoad(path, out handle) && HasMockCluster(handle))
            {
                return handle;
            }
        }

        return 0;
    }

    private static bool TryLoad(string name, Assembly assembly, DllImportSearchPath? searchPath, out nint handle) =>
        NativeLibrary.TryLoad(name, assembly, searchPath, out handle) && HasMockCluster(handle);

    private static bool HasMockCluster(nint handle)
    {
        if (NativeLibrary.TryGetExport(handle, RequiredExport, out _))
        {
            return true;
        }

        NativeLibrary.Free(handle);
        return false;
    }

    // Framework-dependent builds keep the package layout under bin/; RID-specific publishes flatten it.
    private static IEnumerable<string> SelfContainedLinuxPaths()
    {
        var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        var baseDirectory = AppContext.BaseDirectory;
        yield return Path.Combine(baseDirectory, "runtimes", $"linux-{architecture}", "native", SelfContainedLinuxFileName);
        yield return Path.Combine(baseDirectory, SelfContainedLinuxFileName);
    }
}
