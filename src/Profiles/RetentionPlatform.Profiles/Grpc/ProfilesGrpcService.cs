using Grpc.Core;
using Npgsql;
using RetentionPlatform.Profiles.Model;
using RetentionPlatform.Profiles.Segments;
using RetentionPlatform.Tenancy;
using V1 = RetentionPlatform.Contracts.Profiles.V1;

namespace RetentionPlatform.Profiles.Grpc;

/// <summary>
/// The <c>retention.profiles.v1.Profiles</c> gRPC service, through the caller's tenant's grains. Input is checked
/// before any grain is called (INVALID_ARGUMENT with a BadRequest violation per problem); a grain's refusal of an
/// erased or already merged customer is FAILED_PRECONDITION.
/// </summary>
public sealed partial class ProfilesGrpcService(
    IGrainFactory grains,
    ICustomerAliasStore aliases,
    NpgsqlDataSource dataSource,
    TimeProvider time,
    ILogger<ProfilesGrpcService> logger) : V1.Profiles.ProfilesBase
{
    public override async Task<V1.CustomerProfile> GetProfile(V1.GetProfileRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenantId();
        ThrowIfInvalid(CheckCustomer(request.CustomerId));
        var profile = await CallAsync(Customer(tenant, request.CustomerId).GetProfileAsync(), context) ?? throw CustomerNotFound(request.CustomerId);
        return ProfileMessages.ToMessage(profile);
    }

    public override Task<V1.CustomerProfile> SetTraits(V1.SetTraitsRequest request, ServerCallContext context) =>
        UpdateAsync(request.CustomerId, context, errors =>
        {
            var traits = new List<KeyValuePair<string, TraitValue?>>(request.Traits.Count + request.Remove.Count);
            traits.AddRange(request.Traits.Select(t => new KeyValuePair<string, TraitValue?>(t.Key, ProfileMessages.FromMessage(t.Value))));
            foreach (var name in request.Remove)
            {
                if (request.Traits.ContainsKey(name))
                {
                    errors.Add($"remove[{name}]", "A trait cannot be set and removed in the same call.");
                }

                traits.Add(new(name, null));
            }

            return ProfileChanges.Traits(traits, name => $"traits[{name}]", "traits", errors, time);
        });

    public override Task<V1.CustomerProfile> SetConsent(V1.SetConsentRequest request, ServerCallContext context) =>
        UpdateAsync(request.CustomerId, context, errors =>
            ProfileChanges.Consent(ProfileMessages.NameOf(request.Channel), ProfileMessages.NameOf(request.Purpose), request.Granted, request.Source, errors, time));

    public override Task<V1.CustomerProfile> SetPreferences(V1.SetPreferencesRequest request, ServerCallContext context) =>
        UpdateAsync(request.CustomerId, context, errors => ProfileChanges.Preferences(
            new PreferencesChange(
                Optional(request.HasQuietHoursStart, request.QuietHoursStart),
                Optional(request.HasQuietHoursEnd, request.QuietHoursEnd),
                ProfileMessages.NameOf(request.PreferredChannel),
                ProfileMessages.TimeOf(request.PausedUntil, "pausedUntil", errors),
                request.ClearPausedUntil,
                Optional(request.HasTimeZone, request.TimeZone),
                Optional(request.HasLocale, request.Locale)),
            errors,
            time));

    public override Task<V1.CustomerProfile> Identify(V1.IdentifyRequest request, ServerCallContext context) =>
        UpdateAsync(request.CustomerId, context, errors => ProfileChanges.Identify(
            new IdentityChange(
                Optional(request.HasEmail, request.Email),
                Optional(request.HasPhone, request.Phone),
                Optional(request.HasFirstName, request.FirstName),
                Optional(request.HasLastName, request.LastName),
                request.ExternalIds.Count > 0 ? request.ExternalIds : null,
                Optional(request.HasTimeZone, request.TimeZone),
                Optional(request.HasLocale, request.Locale)),
            errors,
            time));

    public override async Task<V1.ContactDecision> DecideContact(V1.DecideContactRequest request, ServerCallContext context) =>
        ProfileMessages.ToMessage(await CallCustomerAsync(
            request.CustomerId,
            context,
            errors => ProfileChanges.ContactRequest(ProfileMessages.NameOf(request.Channel), ProfileMessages.NameOf(request.Purpose), request.Kind, request.MessageId, errors),
            (customer, contact) => customer.DecideContactAsync(contact!)));

    public override async Task<V1.RequestHumanResponse> RequestHuman(V1.RequestHumanRequest request, ServerCallContext context) =>
        new()
        {
            CaseId = await CallCustomerAsync(
                request.CustomerId,
                context,
                errors => ProfileChanges.HumanReason(request.Reason, errors),
                (customer, reason) => customer.RequestHumanAsync(reason ?? "")),
        };

    public override async Task<V1.CustomerProfile> MergeCustomers(V1.MergeCustomersRequest request, ServerCallContext context)
    {
        var profile = await CallCustomerAsync(
            request.CustomerId,
            context,
            errors =>
            {
                if (ApiValues.CheckCustomerId(request.SourceCustomerId, "sourceCustomerId", errors) && request.SourceCustomerId == request.CustomerId)
                {
                    errors.Add("sourceCustomerId", "A customer cannot be merged into itself.");
                }

                return request.SourceCustomerId;
            },
            (customer, source) => customer.MergeAsync(source));
        var tenant = context.GetTenantId();
        LogMerged(logger, tenant, request.SourceCustomerId, profile.CustomerId);
        return ProfileMessages.ToMessage(profile);
    }

    public override async Task<V1.ExportCustomerResponse> ExportCustomer(V1.ExportCustomerRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenantId();
        ThrowIfInvalid(CheckCustomer(request.CustomerId));
        var document = await CallAsync(Customer(tenant, request.CustomerId).ExportAsync(), context) ?? throw CustomerNotFound(request.CustomerId);
        return new V1.ExportCustomerResponse { DocumentJson = document };
    }

    public override async Task<V1.EraseCustomerResponse> EraseCustomer(V1.EraseCustomerRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenantId();
        ThrowIfInvalid(CheckCustomer(request.CustomerId));
        await CallAsync(EraseAsync(Customer(tenant, request.CustomerId)), context);
        LogErased(logger, tenant, request.CustomerId);
        return new V1.EraseCustomerResponse();
    }

    public override async Task<V1.ResolveAliasResponse> ResolveAlias(V1.ResolveAliasRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenantId();
        var errors = new FieldErrors();
        var alias = ApiValues.Alias(request.Alias, errors);
        ThrowIfInvalid(errors);
        var holder = await aliases.ResolveAsync(tenant, alias!, context.CancellationToken)
            ?? throw new RpcException(new Status(StatusCode.NotFound, $"No customer has the alias '{alias}'."));
        return new V1.ResolveAliasResponse { CustomerId = await CallAsync(Customer(tenant, holder).GetCanonicalIdAsync(), context) };
    }

    public override async Task<V1.DefineSegmentResponse> DefineSegment(V1.DefineSegmentRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenantId();
        if (request.Segment is null)
        {
            throw TenantGrpcExtensions.InvalidArgument("segment", "The segment definition is required.");
        }

        var segment = ProfileMessages.FromMessage(request.Segment);
        var problems = SegmentFields.Validate(segment);
        if (problems.Count > 0)
        {
            throw TenantGrpcExtensions.InvalidArgument(problems.ToDictionary(
                p => "segment." + (p.Key == "id" ? "segment_id" : FieldErrors.SnakeCase(p.Key)),
                p => p.Value,
                StringComparer.Ordinal));
        }

        var created = await CallAsync(grains.GetGrain<ITenantGrain>(tenant).DefineSegmentAsync(segment), context);
        return new V1.DefineSegmentResponse { Segment = ProfileMessages.ToMessage(segment), Created = created };
    }

    public override async Task<V1.ListSegmentsResponse> ListSegments(V1.ListSegmentsRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenantId();
        var configuration = await CallAsync(grains.GetGrain<ITenantGrain>(tenant).GetConfigurationAsync(), context);
        return new V1.ListSegmentsResponse { Segments = { configuration.Segments.Select(ProfileMessages.ToMessage) } };
    }

    public override async Task<V1.DeleteSegmentResponse> DeleteSegment(V1.DeleteSegmentRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenantId();
        if (!ApiValues.IsSegmentId(request.SegmentId))
        {
            throw TenantGrpcExtensions.InvalidArgument("segment_id", "A segment id is 1-64 letters, digits, '-' or '_'.");
        }

        return await CallAsync(grains.GetGrain<ITenantGrain>(tenant).DeleteSegmentAsync(request.SegmentId), context)
            ? new V1.DeleteSegmentResponse()
            : throw SegmentNotFound(request.SegmentId);
    }

    public override async Task<V1.ListSegmentMembersResponse> ListSegmentMembers(V1.ListSegmentMembersRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenantId();
        var errors = new FieldErrors();
        if (!ApiValues.IsSegmentId(request.SegmentId))
        {
            errors.Add("segmentId", "A segment id is 1-64 letters, digits, '-' or '_'.");
        }

        if (request.PageSize is < 0 or > SegmentMembersReader.MaxLimit)
        {
            errors.Add("pageSize", $"The page size must be 1-{SegmentMembersReader.MaxLimit} (0 means {SegmentMembersReader.DefaultLimit}).");
        }

        if (request.PageToken.Length > 0)
        {
            ApiValues.CheckCustomerId(request.PageToken, "pageToken", errors);
        }

        ThrowIfInvalid(errors);
        var configuration = await CallAsync(grains.GetGrain<ITenantGrain>(tenant).GetConfigurationAsync(), context);
        if (configuration.Segments.All(s => s.Id != request.SegmentId))
        {
            throw SegmentNotFound(request.SegmentId);
        }

        var page = await SegmentMembersReader.ReadPageAsync(
            dataSource,
            tenant,
            request.SegmentId,
            request.PageToken.Length > 0 ? request.PageToken : null,
            request.PageSize == 0 ? SegmentMembersReader.DefaultLimit : request.PageSize,
            context.CancellationToken);
        return new V1.ListSegmentMembersResponse
        {
            Members = { page.Members.Select(m => new V1.SegmentMember { CustomerId = m.CustomerId, EnteredAt = ProfileMessages.Time(m.EnteredAt) }) },
            NextPageToken = page.Next ?? "",
        };
    }

    public override async Task<V1.ContactPolicy> GetContactPolicy(V1.GetContactPolicyRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenantId();
        var configuration = await CallAsync(grains.GetGrain<ITenantGrain>(tenant).GetConfigurationAsync(), context);
        return ProfileMessages.ToMessage(configuration.Policy);
    }

    public override async Task<V1.ContactPolicy> SetContactPolicy(V1.SetContactPolicyRequest request, ServerCallContext context)
    {
        var tenant = context.GetTenantId();
        var errors = new FieldErrors();
        var input = ProfileMessages.FromMessage(request.Policy ?? new V1.ContactPolicy(), errors);
        var policy = ContactPolicyRules.Validate(input, errors);
        if (policy is null || !errors.IsEmpty)
        {
            throw TenantGrpcExtensions.InvalidArgument(errors.ToGrpc("policy."));
        }

        var configuration = await CallAsync(grains.GetGrain<ITenantGrain>(tenant).SetContactPolicyAsync(policy), context);
        return ProfileMessages.ToMessage(configuration.Policy);
    }

    /// <summary>Applies the change <paramref name="read"/> makes of the request (recording problems) to the customer.</summary>
    private async Task<V1.CustomerProfile> UpdateAsync(string customerId, ServerCallContext context, Func<FieldErrors, CustomerEventData?> read) =>
        ProfileMessages.ToMessage(await CallCustomerAsync(customerId, context, read, (customer, change) => customer.UpdateAsync(change!)));

    /// <summary>
    /// Checks the customer id and the input <paramref name="read"/> takes from the request, throwing INVALID_ARGUMENT
    /// with every problem; when all is well, makes <paramref name="call"/> to the customer's grain with that input.
    /// </summary>
    private async Task<T> CallCustomerAsync<TInput, T>(
        string customerId, ServerCallContext context, Func<FieldErrors, TInput> read, Func<ICustomerGrain, TInput, Task<T>> call)
    {
        var tenant = context.GetTenantId();
        var errors = CheckCustomer(customerId);
        var input = read(errors);
        ThrowIfInvalid(errors);
        return await CallAsync(call(Customer(tenant, customerId), input), context);
    }

    /// <summary>
    /// Awaits a grain call within the caller's cancellation, turning the grain's documented refusals into statuses:
    /// <see cref="ArgumentException"/> into INVALID_ARGUMENT, <see cref="InvalidOperationException"/> (erased, already
    /// merged) into FAILED_PRECONDITION.
    /// </summary>
    private static async Task<T> CallAsync<T>(Task<T> call, ServerCallContext context)
    {
        try
        {
            return await call.WaitAsync(context.CancellationToken);
        }
        catch (ArgumentException ex)
        {
            throw TenantGrpcExtensions.InvalidArgument(FieldErrors.SnakeCase(ex.ParamName ?? "request"), ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, ex.Message));
        }
    }

    private static async Task<bool> EraseAsync(ICustomerGrain grain)
    {
        await grain.EraseAsync();
        return true;
    }

    private ICustomerGrain Customer(string tenant, string customerId) => grains.GetGrain<ICustomerGrain>(CustomerGrainKey.For(tenant, customerId));

    /// <summary>A protobuf optional string: its value when it was sent, otherwise null.</summary>
    private static string? Optional(bool has, string value) => has ? value : null;

    private static FieldErrors CheckCustomer(string customerId)
    {
        var errors = new FieldErrors();
        ApiValues.CheckCustomerId(customerId, "customerId", errors);
        return errors;
    }

    private static void ThrowIfInvalid(FieldErrors errors)
    {
        if (!errors.IsEmpty)
        {
            throw TenantGrpcExtensions.InvalidArgument(errors.ToGrpc());
        }
    }

    private static RpcException CustomerNotFound(string customerId) =>
        new(new Status(StatusCode.NotFound, $"Customer '{customerId}' was not found."));

    private static RpcException SegmentNotFound(string segmentId) =>
        new(new Status(StatusCode.NotFound, $"The tenant has no segment '{segmentId}'."));

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {Tenant}/{Source} merged into {Target} over gRPC")]
    private static partial void LogMerged(ILogger logger, string tenant, string source, string target);

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {Tenant}/{Customer} erased over gRPC")]
    private static partial void LogErased(ILogger logger, string tenant, string customer);
}
