using System.Text.Json;
using RetentionPlatform.Profiles.Model;

namespace RetentionPlatform.Profiles.Apis;

/// <summary>
/// A customer route's request once its JSON body is read: the customer id from the path (decoded, already checked
/// into <see cref="Errors"/>), the body object, and the problems found so far.
/// </summary>
internal readonly record struct CustomerBody(string CustomerId, JsonElement Body, FieldErrors Errors)
{
    /// <summary>The body's fields, after recording an error for every field not in <paramref name="known"/>.</summary>
    public JsonFields Fields(params string[] known)
    {
        var fields = new JsonFields(Body, Errors);
        fields.RejectUnknown(known);
        return fields;
    }
}
