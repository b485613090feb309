// The notifications benchmark. In one run, on the whole platform in one process (throwaway PostgreSQL, the embedded
// Kafka broker, every service on Kestrel) and a real SMTP server on loopback (aiosmtpd, Debian's python3):
//   1. Set-up: N customers with an email address (identify events through the gateway, batches of 1,000), the tenant's
//      SMTP settings and a template with personalisation.
//   2. Baselines in the same run: DecideContact alone over gRPC at the pipeline's concurrency (the ceiling of step 1 of
//      the pipeline), and MailKit sending the same size of message to the same SMTP server over 4 connections (the
//      ceiling of delivery).
//   3. The pipeline: N transactional messages accepted in process (Notifier.SubmitAsync, the use case behind REST,
//      gRPC and Kafka), then PostgreSQL is sampled: decided + rendered + enqueued per second (target 2,000/s) is the
//      rate at which messages leave "pending"; delivered per second (target 500/s) the rate at which they become "sent"
//      and reach the SMTP server's maildir. The two steps run together, as they do in production.
// Usage: dotnet run -c Release --project tests/RetentionPlatform.Notifications.Benchmarks [-- --quick]
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime;
using MailKit.Net.Smtp;
using MimeKit;
using Npgsql;
using RetentionPlatform.Contracts.Profiles.V1;
using RetentionPlatform.Notifications;
using RetentionPlatform.Notifications.Infrastructure;
using RetentionPlatform.Notifications.Model;
using RetentionPlatform.Standalone;
using RetentionPlatform.Testing;

const double PipelineTarget = 2_000;
const double DeliveryTarget = 500;

try
{
    return await RunAsync();
}
catch (Exception e)
{
    Console.Error.WriteLine($"The benchmark failed: {e}");
    return 1;
}

async Task<int> RunAsync()
{
    var quick = args.Contains("--quick");
    var customers = quick ? 500 : 3_000;
    var c = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(c, $"Notifications benchmark on {Environment.ProcessorCount} cores, .NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC; load average {MachineLoad.Average()} (1/5/15 min)"));

    var maildir = Directory.CreateTempSubdirectory("rp-bench-mail").FullName;
    var smtpPort = FreePort();
    var smtp = StartSmtp(smtpPort, maildir);
    try
    {
        return await MeasureAsync(quick, customers, smtpPort, maildir);
    }
    finally
    {
        smtp.Kill();
        smtp.Dispose();
    }
}

async Task<int> MeasureAsync(bool quick, int customers, int smtpPort, string maildir)
{
    var c = CultureInfo.InvariantCulture;

    var options = new StandaloneOptions { Ephemeral = true, GatewayHttpPort = 0, GatewayGrpcPort = 0 };
    options.ServiceSettings["Notifications:Concurrency"] = "64";
    options.ServiceSettings["Notifications:BatchSize"] = "500";
    options.ServiceSettings["Notifications:PollInterval"] = "00:00:00.050";
    options.ServiceSettings["Logging:LogLevel:RetentionPlatform"] = "Warning";
    await using var platform = await StandalonePlatform.StartAsync(options);
    using var http = new HttpClient { BaseAddress = platform.GatewayHttpUrl };
    http.DefaultRequestHeaders.Authorization = new("Bearer", StandaloneOptions.DemoApiKey);

    // 1. Set-up
    var setup = Stopwatch.StartNew();
    for (var start = 0; start < customers; start += 1_000)
    {
        var batch = Enumerable.Range(start, Math.Min(1_000, customers - start)).Select(i => new
        {
            eventId = $"bench-identify-{i}",
            type = "identify",
            customerId = $"c-{i}",
            occurredAt = DateTimeOffset.UtcNow.AddMinutes(-5),
            properties = new { email = $"customer{i}@example.com", firstName = $"Kim{i}", lastName = "Bench" },
        }).ToList();
        (await http.PostAsJsonAsync("/v1/events/batch", new { events = batch })).EnsureSuccessStatusCode();
    }

    await Eventually.GetAsync(async () => (await http.GetAsync($"/v1/customers/c-{customers - 1}")).IsSuccessStatusCode, ok => ok, "the last customer's profile", TimeSpan.FromMinutes(2));
    (await http.PutAsJsonAsync("/v1/notifications/settings", new
    {
        businessName = "Bench Salon",
        defaultLocale = "en",
        email = new { host = "127.0.0.1", port = smtpPort, security = "none", fromAddress = "hello@bench.example", fromName = "Bench Salon" },
    })).EnsureSuccessStatusCode();
    (await http.PutAsJsonAsync("/v1/notifications/templates/receipt/en", new
    {
        subject = "Your receipt from {{business.name}}",
        html = "<h1>Thank you, {{customer.firstName}}!</h1><p>Your order <b>{{data.orderId}}</b> is confirmed.</p><table>{{#each data.items}}<tr><td>{{this}}</td></tr>{{/each}}</table>",
        text = "Thank you, {{customer.firstName}}! Your order {{data.orderId}} is confirmed.",
    })).EnsureSuccessStatusCode();
    Console.WriteLine(string.Create(c, $"Set-up: {customers} customers with an email address, SMTP settings, a template ({setup.Elapsed.TotalSeconds:0.0} s)"));

    var notifications = platform.Services["notifications"].Services;
    var clients = notifications.GetRequiredService<PlatformClients>();
    var notifier = notifications.GetRequiredService<Notifier>();

    // 2. Baselines
    var decideCalls = quick ? 1_000 : 4_000;
    var decide = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, decideCalls), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        await clients.Profiles.DecideContactAsync(
            new DecideContactRequest { CustomerId = $"c-{i % customers}", Channel = ContactChannel.Email, Purpose = ContactPurpose.Transactional, Kind = "bench-baseline" },
            clients.For(StandaloneOptions.DemoTenant, ct)));
    var decideRate = decideCalls / decide.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(c, $"Baseline: DecideContact alone over gRPC, 64 concurrent: {decideRate:0} calls/s ({decideCalls} calls)"));

    var rawSends = quick ? 300 : 1_000;
    var rawRate = await RawSmtpRateAsync(smtpPort, rawSends);
    Console.WriteLine(string.Create(c, $"Baseline: MailKit straight to the same SMTP server, 4 connections: {rawRate:0} emails/s ({rawSends} emails)"));
    foreach (var file in Directory.GetFiles(maildir, "*.eml"))
    {
        File.Delete(file);
    }

    // 3. The pipeline
    await using var db = NpgsqlDataSource.Create(platform.PostgresConnectionString);
    var submitted = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, customers), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
    {
        var data = System.Text.Json.JsonDocument.Parse($$"""{"orderId":"o-{{i}}","items":["Shampoo","Conditioner"]}""").RootElement;
        var request = new NotificationRequest($"c-{i}", "receipt", [NotificationChannel.Email], NotificationPurpose.Transactional, $"bench-{i}", "receipt", null, data, null, "api");
        await notifier.SubmitAsync(StandaloneOptions.DemoTenant, request, ct);
    });
    var acceptSeconds = submitted.Elapsed.TotalSeconds;

    double? decidedAt = null;
    double? sentAt = null;
    var deadline = TimeSpan.FromMinutes(quick ? 2 : 5);
    while (submitted.Elapsed < deadline && sentAt is null)
    {
        await using var command = db.CreateCommand(
            "select count(*) filter (where status in ('pending', 'deferred')), count(*) filter (where status = 'sent'), count(*) filter (where status in ('denied', 'failed')) from notifications.messages where tenant_id = 'demo' and kind = 'receipt'");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (pending, sent, failed) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        if (decidedAt is null && pending == 0)
        {
            decidedAt = submitted.Elapsed.TotalSeconds;
        }

        if (sent + failed >= customers)
        {
            sentAt = submitted.Elapsed.TotalSeconds;
            if (failed > 0)
            {
                Console.WriteLine(string.Create(c, $"  {failed} messages were denied or failed."));
            }
        }
        else
        {
            await Task.Delay(20);
        }
    }

    var received = Directory.GetFiles(maildir, "*.eml").Length;
    var pipelineRate = decidedAt is { } d ? customers / d : 0;
    var deliveryRate = sentAt is { } s ? customers / s : 0;
    Console.WriteLine(string.Create(c, $"Pipeline: {customers} messages accepted in {acceptSeconds:0.00} s; all decided, rendered and enqueued after {decidedAt:0.00} s; all sent after {sentAt:0.00} s; {received} emails in the maildir"));
    Console.WriteLine(string.Create(c, $"  decide + render + enqueue: {pipelineRate:0}/s (target {PipelineTarget:0}/s: {(pipelineRate >= PipelineTarget ? "met" : "missed")}); the DecideContact baseline alone: {decideRate:0}/s"));
    Console.WriteLine(string.Create(c, $"  emails delivered to the SMTP server: {deliveryRate:0}/s (target {DeliveryTarget:0}/s: {(deliveryRate >= DeliveryTarget ? "met" : "missed")}); raw MailKit baseline: {rawRate:0}/s"));
    Console.WriteLine(string.Create(c, $"  duplicates: {received - customers} (emails received minus messages)"));
    return 0;
}

static async Task<double> RawSmtpRateAsync(int port, int count)
{
    var watch = Stopwatch.StartNew();
    var next = -1;
    await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
    {
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", port, MailKit.Security.SecureSocketOptions.None);
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            var message = new MimeMessage();
            message.From.Add(new MailboxAddress("Bench Salon", "hello@bench.example"));
            message.To.Add(new MailboxAddress($"Kim{i} Bench", $"raw{i}@example.com"));
            message.Subject = "Your receipt from Bench Salon";
            var body = new BodyBuilder { TextBody = $"Thank you, Kim{i}! Your order o-{i} is confirmed.", HtmlBody = $"<h1>Thank you, Kim{i}!</h1><p>Your order <b>o-{i}</b> is confirmed.</p>" };
            message.Body = body.ToMessageBody();
            await client.SendAsync(message);
        }

        await client.DisconnectAsync(true);
    }));
    return count / watch.Elapsed.TotalSeconds;
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static Process StartSmtp(int port, string maildir)
{
    var script = Path.Combine(AppContext.BaseDirectory, "smtp_server.py");
    var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, port.ToString(CultureInfo.InvariantCulture), maildir])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    }) ?? throw new InvalidOperationException("python3 did not start.");
    if (process.StandardOutput.ReadLine() != "ready")
    {
        throw new InvalidOperationException($"The SMTP server did not start: {process.StandardError.ReadToEnd()}");
    }

    return process;
}
