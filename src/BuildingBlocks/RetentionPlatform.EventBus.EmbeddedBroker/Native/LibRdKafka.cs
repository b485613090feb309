using System.Runtime.InteropServices;

namespace RetentionPlatform.EventBus.EmbeddedBroker.Native;

/// <summary>The slice of librdkafka's C API (rdkafka.h, rdkafka_mock.h) that the embedded broker needs.</summary>
internal static unsafe partial class LibRdKafka
{
    /// <summary>The name the resolver in <see cref="LibRdKafkaResolver"/> is asked to resolve.</summary>
    public const string LibraryName = "librdkafka";

    public const int ProducerType = 0;
    public const int ConfOk = 0;
    public const int NoError = 0;
    public const int ErrorStringCapacity = 512;

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_conf_new")]
    public static partial nint ConfNew();

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfSet(nint conf, string name, string value, byte* errorBuffer, nuint errorBufferSize);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_conf_destroy")]
    public static partial void ConfDestroy(nint conf);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_new")]
    public static partial nint New(int type, nint conf, byte* errorBuffer, nuint errorBufferSize);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_destroy")]
    public static partial void Destroy(nint client);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_err2str")]
    public static partial nint ErrorToString(int error);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial nint MockClusterNew(nint client, int brokerCount);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void MockClusterDestroy(nint cluster);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static partial nint MockClusterBootstraps(MockClusterHandle cluster);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MockTopicCreate(MockClusterHandle cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    public static partial void MockGroupInitialRebalanceDelayMs(MockClusterHandle cluster, int delayMs);

    [LibraryImport(LibraryName, EntryPoint = "rd_kafka_mock_broker_set_host_port", StringMarshalling = StringMarshalling.Utf8)]
    public static partial void MockBrokerSetHostPort(MockClusterHandle cluster, int brokerId, string host, int port);

    public static string DescribeError(int error) =>
        Marshal.PtrToStringUTF8(ErrorToString(error)) ?? $"librdkafka error {error}";

    public static string ReadErrorBuffer(byte* errorBuffer) =>
        Marshal.PtrToStringUTF8((nint)errorBuffer) ?? string.Empty;
}
