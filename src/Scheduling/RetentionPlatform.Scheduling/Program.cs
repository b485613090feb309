using RetentionPlatform.Scheduling;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddSchedulingServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapSchedulingEndpoints();

app.Run();
