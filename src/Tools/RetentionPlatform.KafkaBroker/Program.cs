using System.Runtime.InteropServices;
using RetentionPlatform.EventBus;
using RetentionPlatform.EventBus.EmbeddedBroker;
using RetentionPlatform.KafkaBroker;

BrokerSettings settings;
try
{
    settings = BrokerSettings.Parse(args, Environment.GetEnvironmentVariable(BrokerSettings.PortVariable));
}
catch (FormatException error)
{
    await Console.Error.WriteLineAsync($"{error.Message}{Environment.NewLine}{BrokerSettings.Usage}");
    return 2;
}

var stopping = new TaskCompletionSource();
void Stop(PosixSignalContext context)
{
    // Cancel the default termination so the broker is disposed and its port released before exiting.
    context.Cancel = true;
    stopping.TrySetResult();
}

using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

using (var broker = EmbeddedKafkaBroker.Start(new EmbeddedKafkaOptions
{
    Port = settings.Port,
    Topics = EventTopics.ToProvision(settings.Partitions),
}))
{
    Console.WriteLine($"Kafka bootstrap servers: {broker.BootstrapServers}");
    await stopping.Task;
}

Console.WriteLine("Kafka broker stopped.");
return 0;
