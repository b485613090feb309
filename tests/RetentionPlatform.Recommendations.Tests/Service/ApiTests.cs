using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Google.Rpc;
using Grpc.Core;
using RetentionPlatform.Tenancy;
using V1 = RetentionPlatform.Contracts.Recommendations.V1;

namespace RetentionPlatform.Recommendations.Tests.Service;

/// <summary>The gRPC and REST APIs: what a caller can get wrong gets a specific status naming the field, never a 500.</summary>
public sealed class ApiTests(ServiceFixture fixture) : IClassFixture<ServiceFixture>
{
    private readonly RecommendationsServiceHost _host = fixture.Host;
    private readonly string _tenant = $"t{Guid.NewGuid():N}"[..20];

    [Theory]
    [InlineData("", 5, null, null, "customer_id")]
    [InlineData("c-1", 101, null, null, "limit")]
    [InlineData("c-1", -1, null, null, "limit")]
    [InlineData("c-1", 5, 10.0, 5.0, "filter.min_price")]
    [InlineData("c-1", 5, double.NaN, null, "filter.min_price")]
    [InlineData("c-1", 5, null, -1.0, "filter.max_price")]
    public async Task ABadRecommendationRequestGetsInvalidArgumentNamingTheField(string customerId, int limit, double? min, double? max, string field)
    {
        var filter = new V1.ItemFilter();
        if (min is { } low)
        {
            filter.MinPrice = low;
        }

        if (max is { } high)
        {
            filter.MaxPrice = high;
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Grpc.RecommendForCustomerAsync(new V1.RecommendForCustomerRequest { CustomerId = customerId, Limit = limit, Filter = filter }, _host.As(_tenant)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var badRequest = error.GetRpcStatus()!.GetDetail<BadRequest>();
        Assert.Contains(badRequest.FieldViolations, v => v.Field == field);
    }

    [Fact]
    public async Task ACallThatDidNotComeThroughTheGatewayIsUnauthenticated()
    {
        var forged = new Metadata { { TenantHeaders.Tenant, _tenant }, { TenantHeaders.GatewaySignature, "v1.1.forged" } };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _host.Grpc.PopularItemsAsync(new V1.PopularItemsRequest(), forged));
        var bare = await _host.Http.GetAsync(new Uri("/v1/recommendations/popular", UriKind.Relative));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bare.StatusCode);
    }

    [Fact]
    public async Task SimilarItemsOfAnItemNotInTheCatalogIsNotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _host.Grpc.SimilarItemsAsync(new V1.SimilarItemsRequest { ItemId = "nope" }, _host.As(_tenant)));
        var rest = await _host.SendAsync(HttpMethod.Get, "/v1/recommendations/items/nope/similar", _tenant);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, rest.StatusCode);
        Assert.Equal("application/problem+json", rest.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task UpsertItemsSavesTheValidItemsAndReportsEachInvalidOne()
    {
        var response = await _host.Grpc.UpsertItemsAsync(new V1.UpsertItemsRequest
        {
            Items =
            {
                new V1.CatalogItem { ItemId = "a", Name = "Apple", Category = "fruit", Price = 1.25 },
                new V1.CatalogItem { ItemId = "b", Price = double.PositiveInfinity },
                new V1.CatalogItem { ItemId = "a", Category = "again" },
                new V1.CatalogItem { ItemId = "bad\u0001id" },
                new V1.CatalogItem { ItemId = "c", Available = false },
            },
        }, _host.As(_tenant));

        Assert.Equal(["created", "invalid", "invalid", "invalid", "created"], response.Results.Select(r => r.Status));
        Assert.Contains(response.Results[1].Errors, e => e.StartsWith("price:", StringComparison.Ordinal));
        Assert.Contains(response.Results[2].Errors, e => e.StartsWith("item_id:", StringComparison.Ordinal));
        var apple = await _host.Grpc.GetItemAsync(new V1.GetItemRequest { ItemId = "a" }, _host.As(_tenant));
        Assert.Equal(("Apple", "fruit", 1.25, true), (apple.Name, apple.Category, apple.Price, apple.Available));
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await _host.Grpc.GetItemAsync(new V1.GetItemRequest { ItemId = "b" }, _host.As(_tenant)));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.False((await _host.Grpc.GetItemAsync(new V1.GetItemRequest { ItemId = "c" }, _host.As(_tenant))).Available);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task AnUpsertOfNoneOrTooManyItemsIsInvalid(int count)
    {
        var request = new V1.UpsertItemsRequest();
        request.Items.AddRange(Enumerable.Range(0, count).Select(i => new V1.CatalogItem { ItemId = $"i{i}" }));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _host.Grpc.UpsertItemsAsync(request, _host.As(_tenant)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task AMalformedProtobufMessageIsInvalidArgumentNotAnInternalError()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/retention.recommendations.v1.Recommendations/GetItem")
        {
            Content = new ByteArrayContent([0, 0, 0, 0, 3, 0x0a, 0xff, 0xff]),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.Add(TenantHeaders.Tenant, _tenant);
        request.Headers.Add(TenantHeaders.GatewaySignature, _host.Trust.Sign(_tenant));

        using var response = await _host.Http.SendAsync(request);
        await response.Content.ReadAsByteArrayAsync();

        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var values) ? values.Single()
            : response.Headers.GetValues("grpc-status").Single();
        Assert.Equal(((int)StatusCode.InvalidArgument).ToString(System.Globalization.CultureInfo.InvariantCulture), status);
    }

    [Fact]
    public async Task PuttingAnItemCreatesItThenReplacesIt()
    {
        var created = await _host.SendAsync(HttpMethod.Put, "/v1/recommendations/catalog/items/sku%2F1", _tenant, """{"name":"Oat milk","category":"dairy-free","price":2.49}""");
        var replaced = await _host.SendAsync(HttpMethod.Put, "/v1/recommendations/catalog/items/sku%2F1", _tenant, """{"name":"Oat milk","category":"dairy-free","price":2.29,"available":false}""");
        var read = await _host.SendAsync(HttpMethod.Get, "/v1/recommendations/catalog/items/sku%2F1", _tenant);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        using var item = JsonDocument.Parse(await read.Content.ReadAsStringAsync());
        Assert.Equal("sku/1", item.RootElement.GetProperty("itemId").GetString());
        Assert.Equal(2.29m, item.RootElement.GetProperty("price").GetDecimal());
        Assert.False(item.RootElement.GetProperty("available").GetBoolean());
    }

    [Theory]
    [InlineData("""{"categry":"typo"}""", "categry")]
    [InlineData("""{"price":-1}""", "price")]
    [InlineData("""{"price":"12"}""", "price")]
    [InlineData("""{"hidden":"yes"}""", "hidden")]
    [InlineData("""{"itemId":"other"}""", "itemId")]
    [InlineData("""{"category":""}""", "category")]
    [InlineData("""[1,2]""", "$")]
    public async Task ABadItemGetsAValidationProblemNamingTheField(string body, string field)
    {
        var response = await _host.SendAsync(HttpMethod.Put, "/v1/recommendations/catalog/items/x", _tenant, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ABatchAnswersEachItemAndAnInvalidOneNeverStopsTheOthers()
    {
        var response = await _host.SendAsync(HttpMethod.Post, "/v1/recommendations/catalog/items/batch", _tenant,
            """{"items":[{"itemId":"p1","category":"a"},{"itemId":"p2","price":"x"},{"itemId":"p1"},{"category":"no-id"},{"itemId":"p3","hidden":true}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(2, result.RootElement.GetProperty("created").GetInt32());
        Assert.Equal(3, result.RootElement.GetProperty("invalid").GetInt32());
        Assert.Equal(["created", "invalid", "invalid", "invalid", "created"], result.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await _host.SendAsync(HttpMethod.Get, "/v1/recommendations/catalog/items/p2", _tenant)).StatusCode);
    }

    [Theory]
    [InlineData("""{"items":[]}""")]
    [InlineData("""{"things":[]}""")]
    [InlineData("""{"items":{}}""")]
    public async Task ABatchWithoutItemsIsInvalid(string body)
    {
        var response = await _host.SendAsync(HttpMethod.Post, "/v1/recommendations/catalog/items/batch", _tenant, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task ABodyThatIsNotJsonGetsUnsupportedMediaType()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, "/v1/recommendations/catalog/items/x")
        {
            Content = new StringContent("name=x"),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Headers.Add(TenantHeaders.Tenant, _tenant);
        request.Headers.Add(TenantHeaders.GatewaySignature, _host.Trust.Sign(_tenant));

        var response = await _host.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=101", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=1&limit=2", "limit")]
    [InlineData("minPrice=-3", "minPrice")]
    [InlineData("minPrice=9&maxPrice=3", "minPrice")]
    [InlineData("maxPrice=1e999", "maxPrice")]
    public async Task ABadQueryGetsAValidationProblemNamingTheParameter(string query, string field)
    {
        var response = await _host.SendAsync(HttpMethod.Get, $"/v1/recommendations/customers/c-1?{query}", _tenant);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ADeletedItemIsGoneAndNeverRecommended()
    {
        await _host.SendAsync(HttpMethod.Put, "/v1/recommendations/catalog/items/gone", _tenant, """{"category":"c"}""");
        await _host.SendAsync(HttpMethod.Put, "/v1/recommendations/catalog/items/kept", _tenant, """{"category":"c"}""");

        var deleted = await _host.SendAsync(HttpMethod.Delete, "/v1/recommendations/catalog/items/gone", _tenant);
        var again = await _host.SendAsync(HttpMethod.Delete, "/v1/recommendations/catalog/items/gone", _tenant);
        var popular = await _host.Grpc.PopularItemsAsync(new V1.PopularItemsRequest { Limit = 10 }, _host.As(_tenant));

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal(["kept"], popular.Items.Select(i => i.Item.ItemId));
        Assert.Equal(V1.ReasonKind.New, popular.Items[0].Reason.Kind);
    }
}
