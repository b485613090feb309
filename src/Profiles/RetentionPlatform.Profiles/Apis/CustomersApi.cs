using Microsoft.AspNetCore.Http.HttpResults;
using RetentionPlatform.Tenancy;

namespace RetentionPlatform.Profiles.Apis;

/// <summary>REST routes over customer profiles (reached through the gateway at <c>/v1/customers</c>).</summary>
public static class CustomersApi
{
    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/customers").RequireTenant().WithTags("Customers");
        group.MapGet("/{customerId}", GetCustomerAsync).WithName("GetCustomer");
        return routes;
    }

    public static async Task<Results<Ok<CustomerProfileView>, ProblemHttpResult>> GetCustomerAsync(string customerId, HttpContext context, IGrainFactory grains)
    {
        // Routing decodes every escape in a segment except %2F; customer ids may contain a slash.
        customerId = customerId.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        if (CustomerId.Validate(customerId) is { } problem)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid customer id", detail: problem);
        }

        var grain = grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For(context.GetTenantId(), customerId));
        return await grain.GetProfileAsync() is { } view
            ? TypedResults.Ok(view)
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Customer not found", detail: $"No events have been received for customer '{customerId}'.");
    }
}
