using System.Diagnostics;
using System.Globalization;
using RetentionPlatform.Testing;

namespace RetentionPlatform.Scheduling.Benchmarks;

/// <summary>
/// CPU time used during a phase by this process (the service, the load generator and the embedded Kafka broker, which
/// all share it) and by the PostgreSQL server, against the wall-clock time and the cores there are. The process's
/// share includes what it burns idle (see <see cref="IdleProcessCpuPerSecondAsync"/>); on a machine as loaded as a
/// shared CI runner that varies too much to subtract.
/// </summary>
internal sealed class CpuMeter(int postgresPort)
{
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TimeSpan _process = MachineLoad.ProcessCpu();
    private readonly TimeSpan _postgres = MachineLoad.PostgresCpu(postgresPort);
    private readonly (double Busy, double Total) _machine = Machine();

    /// <summary>What the process uses with no request at all, per second of wall-clock time, measured over <paramref name="duration"/>.</summary>
    public static async Task<TimeSpan> IdleProcessCpuPerSecondAsync(TimeSpan duration)
    {
        var before = MachineLoad.ProcessCpu();
        var stopwatch = Stopwatch.StartNew();
        await Task.Delay(duration);
        return (MachineLoad.ProcessCpu() - before) / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary>CPU milliseconds per operation since construction: the process's and PostgreSQL's.</summary>
    public (double Process, double Postgres) PerOperation(int operations)
    {
        var process = MachineLoad.ProcessCpu() - _process;
        var postgres = MachineLoad.PostgresCpu(postgresPort) - _postgres;
        return (process.TotalMilliseconds / Math.Max(1, operations), postgres.TotalMilliseconds / Math.Max(1, operations));
    }

    /// <summary>The CPU used since construction, and per operation.</summary>
    public string Summary(int operations, string what)
    {
        var wall = Stopwatch.GetElapsedTime(_started);
        var process = MachineLoad.ProcessCpu() - _process;
        var postgres = MachineLoad.PostgresCpu(postgresPort) - _postgres;
        var (processPer, postgresPer) = PerOperation(operations);
        var cores = Environment.ProcessorCount;
        var machine = Machine();
        var machineBusy = (machine.Busy - _machine.Busy) / Math.Max(1, machine.Total - _machine.Total);
        var ours = (process + postgres) / (wall * cores);
        return string.Create(CultureInfo.InvariantCulture,
            $"CPU over {wall.TotalSeconds:0.0} s: this process {process.TotalSeconds:0.0} s ({process / wall:0.00} cores), PostgreSQL {postgres.TotalSeconds:0.0} s ({postgres / wall:0.00} cores) = {ours:P0} of {cores} cores; the whole machine was {machineBusy:P0} busy (others {Math.Max(0, machineBusy - ours):P0}); per {what}: process {processPer:0.00} ms, PostgreSQL {postgresPer:0.00} ms");
    }

    /// <summary>Busy and total jiffies of all cores since boot (Linux /proc/stat; zeros elsewhere).</summary>
    private static (double Busy, double Total) Machine()
    {
        try
        {
            var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..]
                .Select(f => double.Parse(f, CultureInfo.InvariantCulture)).ToArray();
            // user nice system idle iowait irq softirq steal (guest time is already inside user).
            var total = fields.Take(8).Sum();
            return (total - fields[3] - fields[4], total);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }
}
