using System.Runtime.InteropServices;
using RetentionPlatform.Standalone;

var options = StandaloneOptions.FromArgs(args);
Console.WriteLine("Starting RetentionPlatform (standalone: embedded Kafka, local PostgreSQL)...");
await using var platform = await StandalonePlatform.StartAsync(options);

Console.WriteLine($"""

      Gateway (REST/JSON):   {platform.GatewayHttpUrl}
      Gateway (gRPC, h2c):   {platform.GatewayGrpcUrl}
      Demo tenant:           {StandaloneOptions.DemoTenant}   API key: {StandaloneOptions.DemoApiKey}
      Second tenant:         {StandaloneOptions.OtherTenant}  API key: {StandaloneOptions.OtherApiKey}
      Operator (admin API):  key: {StandaloneOptions.OperatorKey}
      API reference:         {platform.GatewayHttpUrl}docs
      Data:                  {(options.Ephemeral ? "throwaway" : Path.GetFullPath(options.DataDirectory))}

    Try: curl -H 'Authorization: Bearer {StandaloneOptions.DemoApiKey}' {platform.GatewayHttpUrl}v1/customers/c-1
    Press Ctrl+C to stop.
    """);

var stop = new TaskCompletionSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.TrySetResult(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
await stop.Task;

Console.WriteLine("Stopping...");
await platform.StopAsync();
Console.WriteLine("Stopped.");
