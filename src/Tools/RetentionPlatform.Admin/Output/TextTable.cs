namespace RetentionPlatform.Admin.Output;

/// <summary>
/// A plain-text table whose columns line up: two spaces between columns, the last column unpadded, so the output
/// reads well and still splits on whitespace for <c>awk</c>. With no headers it is a label/value list.
/// </summary>
internal sealed class TextTable(params string[] headers)
{
    private const string Gap = "  ";
    private readonly List<string[]> _rows = [];

    public TextTable AddRow(params string[] cells)
    {
        _rows.Add(cells);
        return this;
    }

    public void WriteTo(TextWriter writer)
    {
        var lines = headers.Length > 0 ? _rows.Prepend(headers).ToList() : _rows;
        var columns = lines.Max(line => line.Length);
        var widths = Enumerable.Range(0, columns)
            .Select(column => lines.Max(line => column < line.Length ? line[column].Length : 0))
            .ToArray();
        foreach (var line in lines)
        {
            var padded = line.Select((cell, column) => column == line.Length - 1 ? cell : cell.PadRight(widths[column]));
            writer.WriteLine(string.Join(Gap, padded).TrimEnd());
        }
    }
}
