using RetentionPlatform.Profiles;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddProfilesServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapProfilesEndpoints();

app.Run();
