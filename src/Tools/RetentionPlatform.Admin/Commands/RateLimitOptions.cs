using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using RetentionPlatform.Admin.Model;

namespace RetentionPlatform.Admin.Commands;

/// <summary>The <c>--rate</c>/<c>--burst</c> pair of a command: both or neither, both positive whole numbers.</summary>
internal sealed class RateLimitOptions
{
    private readonly Option<int?> _rate;
    private readonly Option<int?> _burst;

    /// <param name="command">The command to add the options to.</param>
    /// <param name="whose">Whose limit it is, as help starts a sentence: "The tenant's".</param>
    public RateLimitOptions(Command command, string whose)
    {
        _rate = new Option<int?>("--rate")
        {
            Description = $"{whose} steady rate, in permits per second (with --burst)",
            HelpName = "n",
            CustomParser = PositiveWholeNumber,
        };
        _burst = new Option<int?>("--burst")
        {
            Description = $"{whose} burst: permits it may spend at once (with --rate)",
            HelpName = "n",
            CustomParser = PositiveWholeNumber,
        };
        command.Add(_rate);
        command.Add(_burst);
    }

    /// <summary>The limit given, or null when neither option was.</summary>
    public RateLimit? Read(Invocation run) => (run.Get(_rate), run.Get(_burst)) switch
    {
        ({ } rate, { } burst) => new RateLimit(rate, burst),
        (null, null) => null,
        _ => throw new UsageException("--rate and --burst go together: give both."),
    };

    private static int? PositiveWholeNumber(ArgumentResult result)
    {
        var token = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        var option = (result.Parent as OptionResult)?.Option.Name ?? result.Argument.Name;
        result.AddError($"{option} must be a positive whole number, not '{token}'.");
        return null;
    }
}
