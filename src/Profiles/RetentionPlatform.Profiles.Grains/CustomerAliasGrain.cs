namespace RetentionPlatform.Profiles;

/// <summary>One alias of one tenant and the customer it resolves to (first claim wins until a merge reassigns it).</summary>
public sealed class CustomerAliasGrain(
    [PersistentState("alias", CustomerGrain.StorageName)] IPersistentState<CustomerAliasState> state) : Grain, ICustomerAliasGrain
{
    public async Task<string> ClaimAsync(string customerId)
    {
        if (state.State.CustomerId is { } holder)
        {
            return holder;
        }

        await AssignAsync(customerId);
        return customerId;
    }

    public Task<string?> ResolveAsync() => Task.FromResult(state.State.CustomerId);

    public async Task AssignAsync(string customerId)
    {
        if (state.State.CustomerId != customerId)
        {
            state.State.CustomerId = customerId;
            await state.WriteStateAsync();
        }
    }

    public async Task ReleaseAsync(string customerId)
    {
        if (state.State.CustomerId == customerId)
        {
            await state.ClearStateAsync();
            state.State = new CustomerAliasState();
        }
    }
}
