using System.Runtime.InteropServices;

namespace RetentionPlatform.EventBus.EmbeddedBroker.Native;

/// <summary>
/// Owns a librdkafka mock cluster together with the producer handle it was created on; releasing destroys the
/// cluster first because it is bound to that handle.
/// </summary>
internal sealed class MockClusterHandle : SafeHandle
{
    private nint _client;

    public MockClusterHandle()
        : base(0, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == 0;

    public static MockClusterHandle Create(int brokerCount)
    {
        LibRdKafkaResolver.EnsureRegistered();

        var client = CreateOwnerClient();
        var cluster = LibRdKafka.MockClusterNew(client, brokerCount);
        if (cluster == 0)
        {
            LibRdKafka.Destroy(client);
            throw new InvalidOperationException(
                $"librdkafka could not create a mock cluster with {brokerCount} broker(s); see its log on stderr.");
        }

        var result = new MockClusterHandle { _client = client };
        result.SetHandle(cluster);
        return result;
    }

    public string ReadBootstrapServers() =>
        Marshal.PtrToStringUTF8(LibRdKafka.MockClusterBootstraps(this))
        ?? throw new InvalidOperationException("librdkafka returned no bootstrap servers for the mock cluster.");

    protected override bool ReleaseHandle()
    {
        LibRdKafka.MockClusterDestroy(handle);
        LibRdKafka.Destroy(_client);
        return true;
    }

    private static unsafe nint CreateOwnerClient()
    {
        var errorBuffer = stackalloc byte[LibRdKafka.ErrorStringCapacity];
        var conf = LibRdKafka.ConfNew();
        try
        {
            // Without bootstrap.servers the owner never connects anywhere; keep its notice about that off stderr.
            Set(conf, "client.id", "retention-embedded-kafka-broker", errorBuffer);
            Set(conf, "log_level", "4", errorBuffer);

            var client = LibRdKafka.New(LibRdKafka.ProducerType, conf, errorBuffer, LibRdKafka.ErrorStringCapacity);
            if (client == 0)
            {
                throw new InvalidOperationException(
                    $"librdkafka could not create the handle that owns the mock cluster: {LibRdKafka.ReadErrorBuffer(errorBuffer)}");
            }

            conf = 0;
            return client;
        }
        finally
        {
            if (conf != 0)
            {
                LibRdKafka.ConfDestroy(conf);
            }
        }
    }

    private static unsafe void Set(nint conf, string name, string value, byte* errorBuffer)
    {
        if (LibRdKafka.ConfSet(conf, name, value, errorBuffer, LibRdKafka.ErrorStringCapacity) != LibRdKafka.ConfOk)
        {
            throw new InvalidOperationException(
                $"librdkafka rejected {name}={value}: {LibRdKafka.ReadErrorBuffer(errorBuffer)}");
        }
    }
}
