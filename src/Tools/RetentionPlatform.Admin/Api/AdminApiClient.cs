using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using RetentionPlatform.Admin.Commands;
using RetentionPlatform.Admin.Model;

namespace RetentionPlatform.Admin.Api;

/// <summary>
/// The gateway's admin API (<c>/admin/v1</c>) as typed calls. Every request carries the operator key as a bearer
/// token and the <c>rpadmin/1</c> User-Agent; refusals become <see cref="ApiRefusedException"/>, no answer at all
/// <see cref="GatewayUnreachableException"/>.
/// </summary>
internal sealed class AdminApiClient(HttpClient http, Uri gateway, string? operatorKey)
{
    private static readonly ProductInfoHeaderValue UserAgent = new("rpadmin", "1");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<ApiResponse<Tenant>> CreateTenantAsync(CreateTenantRequest request, CancellationToken cancellationToken) =>
        SendAsync<Tenant>(HttpMethod.Post, "admin/v1/tenants", JsonSerializer.Serialize(request, Json), cancellationToken);

    public Task<ApiResponse<TenantList>> ListTenantsAsync(CancellationToken cancellationToken) =>
        SendAsync<TenantList>(HttpMethod.Get, "admin/v1/tenants", null, cancellationToken);

    public Task<ApiResponse<Tenant>> GetTenantAsync(string tenantId, CancellationToken cancellationToken) =>
        SendAsync<Tenant>(HttpMethod.Get, TenantPath(tenantId), null, cancellationToken);

    /// <summary>Changes only the fields present in <paramref name="patch"/>; a <c>rateLimit</c> of null clears it.</summary>
    public Task<ApiResponse<Tenant>> PatchTenantAsync(string tenantId, JsonObject patch, CancellationToken cancellationToken) =>
        SendAsync<Tenant>(HttpMethod.Patch, TenantPath(tenantId), patch.ToJsonString(), cancellationToken);

    public Task<ApiResponse<IssuedKey>> IssueKeyAsync(string tenantId, IssueKeyRequest request, CancellationToken cancellationToken) =>
        SendAsync<IssuedKey>(HttpMethod.Post, $"{TenantPath(tenantId)}/keys", JsonSerializer.Serialize(request, Json), cancellationToken);

    public Task<ApiResponse<ApiKeyList>> ListKeysAsync(string tenantId, CancellationToken cancellationToken) =>
        SendAsync<ApiKeyList>(HttpMethod.Get, $"{TenantPath(tenantId)}/keys", null, cancellationToken);

    public async Task RevokeKeyAsync(string tenantId, string prefix, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Delete, $"{TenantPath(tenantId)}/keys/{Uri.EscapeDataString(prefix)}", null, cancellationToken);

    private static string TenantPath(string tenantId) => $"admin/v1/tenants/{Uri.EscapeDataString(tenantId)}";

    private async Task<ApiResponse<T>> SendAsync<T>(HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        var json = await SendAsync(method, path, body, cancellationToken);
        try
        {
            var value = JsonSerializer.Deserialize<T>(json, Json)
                ?? throw new JsonException("The answer was JSON null.");
            return new ApiResponse<T>(value, json);
        }
        catch (JsonException e)
        {
            throw new ApiRefusedException(new ApiProblem(
                0, "Unreadable answer", $"The gateway answered {method} /{path} with JSON rpadmin cannot read: {e.Message}", []));
        }
    }

    private async Task<string> SendAsync(HttpMethod method, string path, string? body, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(operatorKey))
        {
            throw new UsageException($"No operator key: pass --operator-key or set {AdminCli.OperatorKeyVariable}.");
        }

        using var request = new HttpRequestMessage(method, new Uri(gateway, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", operatorKey);
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        ApiProblem problem;
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return text;
            }

            problem = ApiProblem.Parse(response.StatusCode, response.ReasonPhrase, text);
        }
        catch (HttpRequestException e)
        {
            throw new GatewayUnreachableException($"Cannot reach the gateway at {gateway}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new GatewayUnreachableException(
                $"The gateway at {gateway} did not answer within {http.Timeout.TotalSeconds:0} seconds.", e);
        }

        throw new ApiRefusedException(problem);
    }
}
