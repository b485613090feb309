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
    using var smtp = new SmtpSink(smtpPort, maildir);
    smtp.Start();
    return await MeasureAsync(quick, customers, smtp);
}

async Task<int> MeasureAsync(bool quick, int customers, SmtpSink smtp)
{
    var (smtpPort, maildir) = (smtp.Port, smtp.Maildir);
    var c = CultureInfo.InvariantCulture;

    var options = new StandaloneOptions { Ephemeral = true, GatewayHttpPort = 0, GatewayGrpcPort = 0 };
    options.ServiceSettings["Notifications:Concurrency"] = "64";
    options.ServiceSettings["Notifications:BatchSize"] = "500";
    options.ServiceSettings["Notifications:PollInterval"] = "00:00:00.050";
    options.ServiceSettings["Notifications:RetryBaseDelay"] = "00:10:00";
    options.ServiceSettings["Logging:LogLevel:RetentionPlatform"] = "Warning";
    // Step 1 runs with the SMTP server down on purpose: every refused attempt would be a warning.
    options.ServiceSettings["Logging:LogLevel:RetentionPlatform.Notifications.Channels"] = "Error";
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

    var profile = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, decideCalls), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, ct) =>
        await clients.GetProfileAsync(StandaloneOptions.DemoTenant, $"c-{i % customers}", ct));
    var profileRate = decideCalls / profile.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(c, $"Baseline: GetProfile alone over gRPC, 64 concurrent: {profileRate:0} calls/s ({decideCalls} calls)"));

    var pipeline = notifications.GetRequiredService<SendPipeline>();
    var settingsStore = notifications.GetRequiredService<SettingsStore>();
    var tenantSettings = (await settingsStore.GetSettingsAsync(StandaloneOptions.DemoTenant, CancellationToken.None))!;
    var sampleProfile = (await clients.GetProfileAsync(StandaloneOptions.DemoTenant, "c-1", CancellationToken.None))!;
    var sample = new Message(StandaloneOptions.DemoTenant, Guid.NewGuid(), "k", "c-1", "receipt", null, [NotificationChannel.Email], NotificationPurpose.Transactional,
        "receipt", """{"orderId":"o-1","items":["Shampoo","Conditioner"]}""", "api", MessageStatus.Pending, null, null, null, 0, DateTimeOffset.UtcNow,
        null, null, null, null, null, null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, null);
    var template = (await pipeline.FindTemplateAsync(sample, sampleProfile, tenantSettings, CancellationToken.None))!;
    var renders = quick ? 500 : 2_000;
    var rendering = Stopwatch.StartNew();
    for (var i = 0; i < renders; i++)
    {
        pipeline.Renderer.Render(template, pipeline.ContextFor(sample, NotificationChannel.Email, sampleProfile, template, tenantSettings, []));
    }

    Console.WriteLine(string.Create(c, $"Baseline: rendering alone (context, five signed links, Handlebars, sanitising), one thread: {renders / rendering.Elapsed.TotalSeconds:0}/s"));

    var rawSends = quick ? 300 : 1_000;
    var rawRate = await RawSmtpRateAsync(smtpPort, rawSends);
    Console.WriteLine(string.Create(c, $"Baseline: MailKit straight to the same SMTP server, 4 connections: {rawRate:0} emails/s ({rawSends} emails)"));
    foreach (var file in Directory.GetFiles(maildir, "*.eml"))
    {
        File.Delete(file);
    }

    // 3. The pipeline, one step at a time. Step 1 alone: the SMTP server is down (a delivery attempt is refused at
    // once and retried only after RetryBaseDelay, 10 minutes here), so what is measured is deciding, rendering and
    // queueing. Step 2 alone: the server is back and the queued messages are made due again as first attempts.
    await using var db = NpgsqlDataSource.Create(platform.PostgresConnectionString);
    smtp.Stop();
    // Every message is due at one moment after they are all accepted, so step 1 is timed from that moment on, apart
    // from accepting (one INSERT each, committed: what a REST or gRPC request waits for).
    var dueAt = DateTimeOffset.UtcNow.AddSeconds(quick ? 10 : 25);
    var accepting = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, customers), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
    {
        var data = System.Text.Json.JsonDocument.Parse($$"""{"orderId":"o-{{i}}","items":["Shampoo","Conditioner"]}""").RootElement;
        var request = new NotificationRequest($"c-{i}", "receipt", [NotificationChannel.Email], NotificationPurpose.Transactional, $"bench-{i}", "receipt", null, data, dueAt, "api");
        await notifier.SubmitAsync(StandaloneOptions.DemoTenant, request, ct);
    });
    var acceptSeconds = accepting.Elapsed.TotalSeconds;
    if (DateTimeOffset.UtcNow >= dueAt)
    {
        Console.WriteLine("  (accepting took longer than planned: step 1 below includes part of it)");
    }
    else
    {
        await Task.Delay(dueAt - DateTimeOffset.UtcNow);
    }

    var submitted = Stopwatch.StartNew();
    var decidedAt = await WaitUntilAsync(db, "status in ('pending', 'deferred')", 0, submitted, TimeSpan.FromMinutes(quick ? 2 : 5));
    var pipelineRate = customers / decidedAt;
    Console.WriteLine(string.Create(c, $"Accepting: {customers} messages in {acceptSeconds:0.00} s ({customers / acceptSeconds:0}/s, in process, 16 at a time, one committed INSERT each)"));
    Console.WriteLine(string.Create(c, $"Step 1: all {customers} decided, rendered and queued {decidedAt:0.00} s after they came due"));
    Console.WriteLine(string.Create(c, $"  decide + render + enqueue: {pipelineRate:0}/s (target {PipelineTarget:0}/s: {(pipelineRate >= PipelineTarget ? "met" : "missed")}); the DecideContact baseline alone: {decideRate:0}/s"));

    // Every refused first attempt must have settled (its worker writes "queued, due in 10 minutes") before the
    // messages are made due again, or a late settlement would push one back.
    await WaitUntilAsync(db, "status = 'queued' and (attempts = 0 or lease_until is not null)", 0, Stopwatch.StartNew(), TimeSpan.FromMinutes(2));
    smtp.Start();
    var delivering = Stopwatch.StartNew();
    // Once every message is queued the workers are idle, so nothing holds these rows; the order avoids deadlocking
    // with a worker that might still be settling a refused attempt.
    await using (var release = db.CreateCommand(
        """
        update notifications.messages m set due_at = now(), attempts = 0, lease_until = null
        from (select tenant_id, message_id from notifications.messages where tenant_id = 'demo' and kind = 'receipt' and status = 'queued'
              order by message_id for update) q
        where m.tenant_id = q.tenant_id and m.message_id = q.message_id
        """))
    {
        await release.ExecuteNonQueryAsync();
    }

    var sentAt = await WaitUntilAsync(db, "status = 'queued'", 0, delivering, TimeSpan.FromMinutes(quick ? 2 : 5));
    var received = Directory.GetFiles(maildir, "*.eml").Length;
    var deliveryRate = customers / sentAt;
    Console.WriteLine(string.Create(c, $"Step 2: all {customers} delivered after {sentAt:0.00} s; {received} emails in the maildir"));
    Console.WriteLine(string.Create(c, $"  emails delivered to the SMTP server: {deliveryRate:0}/s (target {DeliveryTarget:0}/s: {(deliveryRate >= DeliveryTarget ? "met" : "missed")}); raw MailKit baseline: {rawRate:0}/s"));
    Console.WriteLine(string.Create(c, $"  duplicates: {received - customers} (emails received minus messages)"));
    return 0;
}

// Seconds on the stopwatch when no message of the run matches the condition any more.
static async Task<double> WaitUntilAsync(NpgsqlDataSource db, string condition, long remaining, Stopwatch watch, TimeSpan timeout)
{
    while (watch.Elapsed < timeout)
    {
        await using var command = db.CreateCommand($"select count(*) from notifications.messages where tenant_id = 'demo' and kind = 'receipt' and {condition}");
        if ((long)(await command.ExecuteScalarAsync())! <= remaining)
        {
            return watch.Elapsed.TotalSeconds;
        }

        await Task.Delay(20);
    }

    throw new TimeoutException($"Messages still matched '{condition}' after {timeout}.");
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

/// <summary>The loopback SMTP server (aiosmtpd): every accepted message becomes a file in the maildir.</summary>
internal sealed class SmtpSink(int port, string maildir) : IDisposable
{
    private Process? _process;

    public int Port => port;

    public string Maildir => maildir;

    public void Start()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "smtp_server.py");
        _process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, port.ToString(CultureInfo.InvariantCulture), maildir])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("python3 did not start.");
        if (_process.StandardOutput.ReadLine() != "ready")
        {
            throw new InvalidOperationException($"The SMTP server did not start: {_process.StandardError.ReadToEnd()}");
        }
    }

    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Stop();
}
