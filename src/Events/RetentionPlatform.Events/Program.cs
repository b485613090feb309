using RetentionPlatform.Events;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddEventsServices();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapEventsEndpoints();

app.Run();
