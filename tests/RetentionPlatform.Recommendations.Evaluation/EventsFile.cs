using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RetentionPlatform.Recommendations.Evaluation;

/// <summary>
/// Reads and writes events files: one customer event per line as JSON ("JSON lines"), as the platform ingests them.
/// Reading streams line by line and skips blank lines; a line that is not a valid event stops the read with an
/// <see cref="EventsFileException"/> naming the line.
/// </summary>
public static class EventsFile
{
    /// <summary>Every event of the file at <paramref name="path"/>, in file order.</summary>
    public static List<CustomerEvent> ReadAll(string path)
    {
        using var reader = File.OpenText(path);
        return [.. Read(reader)];
    }

    /// <summary>The events of <paramref name="reader"/>, parsed one line at a time as they are enumerated.</summary>
    public static IEnumerable<CustomerEvent> Read(TextReader reader)
    {
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line))
            {
                yield return Parse(line, lineNumber);
            }
        }
    }

    public static void WriteAll(string path, IEnumerable<CustomerEvent> events)
    {
        using var stream = File.Create(path);
        Write(stream, events);
    }

    /// <summary>Writes the events to <paramref name="stream"/> as UTF-8 JSON lines.</summary>
    public static void Write(Stream stream, IEnumerable<CustomerEvent> events)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer);
        foreach (var @event in events)
        {
            buffer.ResetWrittenCount();
            json.Reset(buffer);
            WriteEvent(json, @event);
            json.Flush();
            stream.Write(buffer.WrittenSpan);
            stream.WriteByte((byte)'\n');
        }

        stream.Flush();
    }

    /// <summary>One event as its line of JSON (without the line break).</summary>
    public static string Format(CustomerEvent @event)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            WriteEvent(json, @event);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Parses one line; <paramref name="lineNumber"/> is only used to say where a problem is.</summary>
    public static CustomerEvent Parse(string line, int lineNumber)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new EventsFileException(lineNumber, "the line is not a JSON object");
            }

            var eventId = RequiredString(root, "eventId", lineNumber);
            var type = RequiredString(root, "type", lineNumber);
            var customerId = RequiredString(root, "customerId", lineNumber);
            if (!root.TryGetProperty("occurredAt", out var occurredAt)
                || occurredAt.ValueKind != JsonValueKind.String
                || !occurredAt.TryGetDateTimeOffset(out var at))
            {
                throw new EventsFileException(lineNumber, "occurredAt must be an ISO 8601 date and time");
            }

            IReadOnlyList<string> itemIds = [];
            ItemDetails? item = null;
            if (root.TryGetProperty("properties", out var properties) && properties.ValueKind != JsonValueKind.Null)
            {
                if (properties.ValueKind != JsonValueKind.Object)
                {
                    throw new EventsFileException(lineNumber, "properties must be an object");
                }

                itemIds = ItemIds(properties, lineNumber);
                item = Attributes(properties, lineNumber);
            }

            return new CustomerEvent(eventId, type, customerId, at.ToUniversalTime(), itemIds, item);
        }
        catch (JsonException e)
        {
            throw new EventsFileException(lineNumber, $"malformed JSON at byte {e.BytePositionInLine ?? 0}", e);
        }
    }

    private static List<string> ItemIds(JsonElement properties, int lineNumber)
    {
        var itemIds = new List<string>();
        if (properties.TryGetProperty("itemIds", out var many) && many.ValueKind != JsonValueKind.Null)
        {
            if (many.ValueKind != JsonValueKind.Array)
            {
                throw new EventsFileException(lineNumber, "properties.itemIds must be an array of strings");
            }

            foreach (var element in many.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(element.GetString()))
                {
                    throw new EventsFileException(lineNumber, "properties.itemIds must be an array of non-empty strings");
                }

                itemIds.Add(element.GetString()!);
            }
        }

        if (OptionalString(properties, "itemId", lineNumber) is { Length: > 0 } one && !itemIds.Contains(one))
        {
            itemIds.Insert(0, one);
        }

        return itemIds;
    }

    private static ItemDetails? Attributes(JsonElement properties, int lineNumber)
    {
        var category = OptionalString(properties, "category", lineNumber);
        var name = OptionalString(properties, "name", lineNumber);
        decimal? price = null;
        if (properties.TryGetProperty("price", out var priceElement) && priceElement.ValueKind != JsonValueKind.Null)
        {
            if (priceElement.ValueKind != JsonValueKind.Number || !priceElement.TryGetDecimal(out var value))
            {
                throw new EventsFileException(lineNumber, "properties.price must be a number");
            }

            price = value;
        }

        return category is null && price is null && name is null ? null : new ItemDetails(category, price, name);
    }

    private static string RequiredString(JsonElement root, string name, int lineNumber) =>
        OptionalString(root, name, lineNumber) is { Length: > 0 } value
            ? value
            : throw new EventsFileException(lineNumber, $"{name} is missing or empty");

    private static string? OptionalString(JsonElement element, string name, int lineNumber)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : throw new EventsFileException(lineNumber, $"{name} must be a string");
    }

    private static void WriteEvent(Utf8JsonWriter json, CustomerEvent @event)
    {
        json.WriteStartObject();
        json.WriteString("eventId", @event.EventId);
        json.WriteString("type", @event.Type);
        json.WriteString("customerId", @event.CustomerId);
        json.WriteString("occurredAt", @event.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        json.WriteStartObject("properties");

        // A view is of one item (itemId, as shops send it); a cart or an order lists its items (itemIds).
        if (@event.Type == CustomerEvent.ProductViewed && @event.ItemIds.Count == 1)
        {
            json.WriteString("itemId", @event.ItemIds[0]);
        }
        else if (@event.ItemIds.Count > 0 || @event.Kind is not null)
        {
            json.WriteStartArray("itemIds");
            foreach (var itemId in @event.ItemIds)
            {
                json.WriteStringValue(itemId);
            }

            json.WriteEndArray();
        }

        if (@event.Item is { } item)
        {
            if (item.Category is not null)
            {
                json.WriteString("category", item.Category);
            }

            if (item.Price is { } price)
            {
                json.WriteNumber("price", price);
            }

            if (item.Name is not null)
            {
                json.WriteString("name", item.Name);
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }
}
