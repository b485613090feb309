using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using RetentionPlatform.Notifications.Links;

namespace RetentionPlatform.Notifications.Tests.Links;

/// <summary>The link pages on Kestrel (127.0.0.1, a free port) with a recording <see cref="ILinkActions"/>.</summary>
internal sealed class LinkPagesHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LinkPagesHost(WebApplication app, Uri baseAddress, FakeTimeProvider time)
    {
        _app = app;
        Time = time;
        Client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = baseAddress };
    }

    public FakeTimeProvider Time { get; }

    public LinkSigner Signer => _app.Services.GetRequiredService<LinkSigner>();

    public RecordingLinkActions Actions => (RecordingLinkActions)_app.Services.GetRequiredService<ILinkActions>();

    public RecordingLoggerProvider Logs => _app.Services.GetRequiredService<RecordingLoggerProvider>();

    public HttpClient Client { get; }

    public static async Task<LinkPagesHost> StartAsync()
    {
        var time = new FakeTimeProvider(LinkTestData.Now);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var logs = new RecordingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.Services.AddSingleton(logs);
        builder.Services.AddSingleton(new LinkSigner(LinkTestData.Key, time));
        builder.Services.AddSingleton<ILinkActions, RecordingLinkActions>();

        var app = builder.Build();
        app.MapLinkPages();
        await app.StartAsync();

        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new LinkPagesHost(app, new Uri(address), time);
    }

    public string Path(LinkClaims claims) => Signer.CreateUrl(new Uri("http://links.invalid/"), claims).AbsolutePath;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
