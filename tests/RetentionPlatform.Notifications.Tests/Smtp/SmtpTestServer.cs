using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using MimeKit;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Notifications.Tests.Smtp;

/// <summary>
/// A real SMTP server on loopback for tests and the benchmark: <c>Smtp/smtp_server.py</c> (aiosmtpd) run by Debian's
/// <c>/usr/bin/python3</c>. It keeps every accepted message as an <c>.eml</c> file (with <c>Return-Path</c> and
/// <c>X-Envelope-To</c> carrying the envelope) and logs each connection, so tests can read what arrived and count the
/// sessions a client opened. It can be stopped and started again on the same port to simulate an outage.
/// </summary>
public sealed class SmtpTestServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string _arguments;
    private readonly ConcurrentQueue<string> _errors = new();
    private Process? _process;

    /// <param name="simulateFailures">Answer RCPT TO "bounce..." with 550 and DATA for "tempfail..." with 451.</param>
    /// <param name="userName">With <paramref name="password"/>: require this login (AUTH PLAIN/LOGIN on the plain connection).</param>
    /// <param name="password">The password that goes with <paramref name="userName"/>.</param>
    public SmtpTestServer(bool simulateFailures = false, string? userName = null, string? password = null)
    {
        Port = TestServers.FreePort();
        MailDirectory = Path.Combine(Path.GetTempPath(), "retention-smtp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(MailDirectory);
        _arguments = (simulateFailures ? " --simulate-failures" : "") + (userName is null ? "" : $" --auth {userName}:{password}");
    }

    /// <summary>The loopback port it listens on (the same after a restart).</summary>
    public int Port { get; }

    /// <summary>Where the received messages are kept.</summary>
    public string MailDirectory { get; }

    /// <summary>Whether the server process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The messages received so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> Messages => ReadMessages();

    /// <summary>How many SMTP connections clients opened so far (across restarts).</summary>
    public int ConnectionCount => CountConnectionEvents("open");

    /// <summary>How many SMTP connections ended so far (a client's QUIT or a dropped socket).</summary>
    public int ClosedConnectionCount => CountConnectionEvents("close");

    /// <summary>Starts a server and waits until it listens.</summary>
    public static async Task<SmtpTestServer> StartNewAsync(bool simulateFailures = false, string? userName = null, string? password = null)
    {
        var server = new SmtpTestServer(simulateFailures, userName, password);
        try
        {
            await server.StartAsync();
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the server (again) on <see cref="Port"/> and returns once it listens; retries briefly while the port is still taken.</summary>
    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException("The SMTP test server is already running.");
        }

        var script = Path.Combine(AppContext.BaseDirectory, "Smtp", "smtp_server.py");
        if (!File.Exists(Python) || !File.Exists(script))
        {
            throw new InvalidOperationException($"The SMTP test server needs {Python} (with python3-aiosmtpd) and {script}.");
        }

        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var process = Launch(script);
            using var timeout = new CancellationTokenSource(StartTimeout);
            string? line;
            try
            {
                line = await process.StandardOutput.ReadLineAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                line = null;
            }

            if (line == "ready")
            {
                _process = process;
                return;
            }

            await KillAsync(process);
            if (deadline.Elapsed > StartTimeout)
            {
                throw new InvalidOperationException($"The SMTP test server did not start on port {Port}: {string.Join(" | ", _errors)}");
            }

            // The previous process's socket may linger for a moment after a kill.
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Kills the server (connections drop without a goodbye, as in an outage); received messages stay.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await KillAsync(process);
        }
    }

    /// <summary>The messages received so far, oldest first.</summary>
    public IReadOnlyList<MimeMessage> ReadMessages() =>
        new DirectoryInfo(MailDirectory).EnumerateFiles("*.eml")
            .OrderBy(file => file.LastWriteTimeUtc)
            .ThenBy(file => file.Name, StringComparer.Ordinal)
            .Select(file => MimeMessage.Load(file.FullName))
            .ToList();

    /// <summary>The queue ids the server gave the messages it accepted (the file names), oldest first.</summary>
    public IReadOnlyList<string> ReadQueueIds() =>
        new DirectoryInfo(MailDirectory).EnumerateFiles("*.eml")
            .OrderBy(file => file.LastWriteTimeUtc)
            .ThenBy(file => file.Name, StringComparer.Ordinal)
            .Select(file => Path.GetFileNameWithoutExtension(file.Name))
            .ToList();

    /// <summary>Waits until at least <paramref name="count"/> messages arrived and returns them.</summary>
    public Task<IReadOnlyList<MimeMessage>> WaitForMessagesAsync(int count, TimeSpan timeout) =>
        Eventually.GetAsync(
            () => Task.FromResult(ReadMessages()),
            messages => messages.Count >= count,
            string.Create(CultureInfo.InvariantCulture, $"{count} message(s) at the SMTP test server"),
            timeout);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(MailDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory; the machine cleans it up eventually.
        }
    }

    private Process Launch(string script)
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(Port.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(MailDirectory);
        foreach (var argument in _arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrWhiteSpace(e.Data))
            {
                _errors.Enqueue(e.Data);
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task KillAsync(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }
        finally
        {
            process.Dispose();
        }
    }

    private int CountConnectionEvents(string kind)
    {
        var log = Path.Combine(MailDirectory, "connections.log");
        if (!File.Exists(log))
        {
            return 0;
        }

        // The server appends while we read; a line without its newline yet is not counted.
        using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var text = reader.ReadToEnd();
        var complete = text[..(text.LastIndexOf('\n') + 1)];
        return complete.Split('\n').Count(line => line.StartsWith(kind + " ", StringComparison.Ordinal));
    }
}
