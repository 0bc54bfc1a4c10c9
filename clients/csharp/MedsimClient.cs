// medsim C# client: talks to `medsim serve` over HTTP (HttpClient) and WebSocket (ClientWebSocket).
// Plain .NET (Framework 4.x / Mono / .NET 6+ / Unity's .NET profile): no Unity types here, so it
// compiles and is tested outside Unity. See UNITY.md for a MonoBehaviour that uses it.
using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Http;
using System.Net.WebSockets;
using System.Runtime.Serialization;
using System.Runtime.Serialization.Json;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Medsim
{
    [DataContract]
    public sealed class PatientSummary
    {
        [DataMember(Name = "name")] public string Name;
        [DataMember(Name = "age")] public int Age;
        [DataMember(Name = "sex")] public string Sex;
        [DataMember(Name = "occupation")] public string Occupation;
        [DataMember(Name = "region")] public string Region;
        [DataMember(Name = "language")] public string Language;
    }

    [DataContract]
    public sealed class CaseSummary
    {
        [DataMember(Name = "id")] public string Id;
        [DataMember(Name = "title")] public string Title;
        [DataMember(Name = "setting")] public string Setting;
        [DataMember(Name = "patient")] public PatientSummary Patient;
        [DataMember(Name = "chiefComplaint")] public string ChiefComplaint;
    }

    [DataContract]
    public sealed class PersonaSummary
    {
        [DataMember(Name = "id")] public string Id;
        [DataMember(Name = "name")] public string Name;
        [DataMember(Name = "description")] public string Description;
    }

    [DataContract]
    public class Session
    {
        [DataMember(Name = "id")] public string Id;
        [DataMember(Name = "status")] public string Status;
        [DataMember(Name = "case")] public CaseSummary Case;
        [DataMember(Name = "persona")] public PersonaSummary Persona;
        [DataMember(Name = "engine")] public string Engine;
    }

    [DataContract]
    public sealed class DisclosedFact
    {
        [DataMember(Name = "id")] public string Id;
        [DataMember(Name = "topic")] public string Topic;
        [DataMember(Name = "text")] public string Text;
    }

    [DataContract]
    public sealed class Turn
    {
        [DataMember(Name = "sessionId")] public string SessionId;
        [DataMember(Name = "turn")] public int Index;
        [DataMember(Name = "reply")] public string Reply;
        [DataMember(Name = "newlyDisclosedFacts")] public DisclosedFact[] NewlyDisclosedFacts;
        /// <summary>True when the reply was cut short by <see cref="PatientSocket.CancelAsync"/>.</summary>
        [DataMember(Name = "cancelled")] public bool Cancelled;
    }

    [DataContract]
    public sealed class Finding
    {
        [DataMember(Name = "sessionId")] public string SessionId;
        [DataMember(Name = "name")] public string Name;
        /// <summary>Null when the case records nothing for what was asked.</summary>
        [DataMember(Name = "result")] public string Result;
        [DataMember(Name = "newlyDisclosedFacts")] public DisclosedFact[] NewlyDisclosedFacts;
    }

    /// <summary>The server's 202 answer to a draft: accepted, not yet evaluated.</summary>
    [DataContract]
    public sealed class DraftAccepted
    {
        [DataMember(Name = "sessionId")] public string SessionId;
        [DataMember(Name = "accepted")] public bool Accepted;
    }

    [DataContract]
    public sealed class TranscriptTurn
    {
        [DataMember(Name = "role")] public string Role;
        [DataMember(Name = "content")] public string Content;
    }

    [DataContract]
    public sealed class SessionDetail : Session
    {
        [DataMember(Name = "transcript")] public TranscriptTurn[] Transcript;
        [DataMember(Name = "disclosedFacts")] public DisclosedFact[] DisclosedFacts;
    }

    [DataContract]
    internal sealed class ErrorDetail
    {
        [DataMember(Name = "message")] public string Message;
        [DataMember(Name = "type")] public string Type;
        [DataMember(Name = "code")] public string Code;
        [DataMember(Name = "param")] public string Param;
    }

    [DataContract]
    internal sealed class ErrorEnvelope
    {
        [DataMember(Name = "error")] public ErrorDetail Error;
    }

    /// <summary>A server error: HTTP status, stable code (invalid_input, not_found, unauthorized, ...) and field.</summary>
    public sealed class MedsimApiException : Exception
    {
        public readonly int Status;
        public readonly string Code;
        public readonly string Param;

        public MedsimApiException(int status, string code, string param, string message) : base(message)
        {
            Status = status;
            Code = code;
            Param = param;
        }
    }

    internal static class Json
    {
        public static T Parse<T>(string text)
        {
            var serializer = new DataContractJsonSerializer(typeof(T));
            using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(text)))
                return (T)serializer.ReadObject(stream);
        }

        /// <summary>A JSON object of string fields (all the client ever sends).</summary>
        public static string Object(params string[] keysAndValues)
        {
            var builder = new StringBuilder("{");
            for (var i = 0; i + 1 < keysAndValues.Length; i += 2)
            {
                if (keysAndValues[i + 1] == null) continue;
                if (builder.Length > 1) builder.Append(',');
                builder.Append(Quote(keysAndValues[i])).Append(':').Append(Quote(keysAndValues[i + 1]));
            }
            return builder.Append('}').ToString();
        }

        public static string Quote(string text)
        {
            var builder = new StringBuilder("\"");
            foreach (var c in text)
            {
                switch (c)
                {
                    case '"': builder.Append("\\\""); break;
                    case '\\': builder.Append("\\\\"); break;
                    case '\n': builder.Append("\\n"); break;
                    case '\r': builder.Append("\\r"); break;
                    case '\t': builder.Append("\\t"); break;
                    default:
                        if (c < 0x20) builder.AppendFormat("\\u{0:x4}", (int)c);
                        else builder.Append(c);
                        break;
                }
            }
            return builder.Append('"').ToString();
        }

        public static MedsimApiException Error(int status, string body)
        {
            try
            {
                var envelope = Parse<ErrorEnvelope>(body);
                if (envelope != null && envelope.Error != null)
                    return new MedsimApiException(status, envelope.Error.Code, envelope.Error.Param, envelope.Error.Message);
            }
            catch (SerializationException) { }
            return new MedsimApiException(status, "http_error", null, "HTTP " + status);
        }
    }

    /// <summary>The HTTP API: sessions, messages, examination, tests.</summary>
    public sealed class MedsimClient : IDisposable
    {
        private readonly HttpClient http;
        private readonly bool ownsHttp;
        private readonly string baseUrl;
        private readonly string apiKey;

        /// <param name="baseUrl">The server, e.g. http://127.0.0.1:8000 (no /v1).</param>
        /// <param name="apiKey">Sent as Authorization: Bearer; null when the server has no keys.</param>
        /// <param name="http">An HttpClient to share (recommended in apps); one is created otherwise.</param>
        public MedsimClient(string baseUrl, string apiKey = null, HttpClient http = null)
        {
            this.baseUrl = baseUrl.TrimEnd('/');
            this.apiKey = apiKey;
            ownsHttp = http == null;
            this.http = http ?? new HttpClient();
        }

        public Task<Session> CreateSessionAsync(string caseId, string persona, CancellationToken cancellation = default(CancellationToken))
        {
            return SendAsync<Session>(HttpMethod.Post, "/v1/sessions", Json.Object("case", caseId, "persona", persona), cancellation);
        }

        public Task<SessionDetail> GetSessionAsync(string sessionId, CancellationToken cancellation = default(CancellationToken))
        {
            return SendAsync<SessionDetail>(HttpMethod.Get, "/v1/sessions/" + Uri.EscapeDataString(sessionId), null, cancellation);
        }

        /// <summary>Says something to the patient; returns once the reply is stored.</summary>
        public Task<Turn> SendAsync(string sessionId, string content, CancellationToken cancellation = default(CancellationToken))
        {
            return SendAsync<Turn>(HttpMethod.Post, "/v1/sessions/" + Uri.EscapeDataString(sessionId) + "/messages", Json.Object("content", content), cancellation);
        }

        /// <summary>
        /// Hands the server the next message as typed or spoken so far (speech recognition's interim
        /// text, or typing debounced ~300 ms), so the engine evaluates it ahead and the reply starts
        /// sooner. Returns at once (202), before the draft is evaluated; a draft is never answered nor
        /// stored in the transcript. Over 4,000 characters is a 400 with Param "text".
        /// </summary>
        public Task<DraftAccepted> DraftAsync(string sessionId, string text, CancellationToken cancellation = default(CancellationToken))
        {
            return SendAsync<DraftAccepted>(HttpMethod.Post, "/v1/sessions/" + Uri.EscapeDataString(sessionId) + "/draft", Json.Object("text", text), cancellation);
        }

        public Task<Finding> ExamineAsync(string sessionId, string system, CancellationToken cancellation = default(CancellationToken))
        {
            return SendAsync<Finding>(HttpMethod.Post, "/v1/sessions/" + Uri.EscapeDataString(sessionId) + "/examine", Json.Object("system", system), cancellation);
        }

        public Task<Finding> OrderAsync(string sessionId, string testName, CancellationToken cancellation = default(CancellationToken))
        {
            return SendAsync<Finding>(HttpMethod.Post, "/v1/sessions/" + Uri.EscapeDataString(sessionId) + "/tests", Json.Object("name", testName), cancellation);
        }

        public Task<SessionDetail> EndAsync(string sessionId, CancellationToken cancellation = default(CancellationToken))
        {
            return SendAsync<SessionDetail>(HttpMethod.Post, "/v1/sessions/" + Uri.EscapeDataString(sessionId) + "/end", null, cancellation);
        }

        /// <summary>Opens the session's WebSocket, for replies that stream sentence by sentence.</summary>
        public async Task<PatientSocket> ConnectAsync(string sessionId, CancellationToken cancellation = default(CancellationToken))
        {
            var socket = new ClientWebSocket();
            if (apiKey != null) socket.Options.SetRequestHeader("Authorization", "Bearer " + apiKey);
            var uri = new Uri(baseUrl.Replace("http://", "ws://").Replace("https://", "wss://") + "/v1/sessions/" + Uri.EscapeDataString(sessionId) + "/ws");
            await socket.ConnectAsync(uri, cancellation).ConfigureAwait(false);
            var patient = new PatientSocket(socket);
            await patient.WaitReadyAsync(cancellation).ConfigureAwait(false);
            return patient;
        }

        private async Task<T> SendAsync<T>(HttpMethod method, string path, string body, CancellationToken cancellation)
        {
            using (var request = new HttpRequestMessage(method, baseUrl + path))
            {
                if (apiKey != null) request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + apiKey);
                if (body != null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                using (var response = await http.SendAsync(request, cancellation).ConfigureAwait(false))
                {
                    var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode) throw Json.Error((int)response.StatusCode, text);
                    return Json.Parse<T>(text);
                }
            }
        }

        public void Dispose()
        {
            if (ownsHttp) http.Dispose();
        }
    }

    [DataContract]
    internal sealed class SocketMessage
    {
        [DataMember(Name = "type")] public string Type;
        [DataMember(Name = "text")] public string Text;
        [DataMember(Name = "error")] public ErrorDetail Error;
    }

    /// <summary>
    /// One session's WebSocket: <see cref="AskAsync"/> streams the reply's sentences to a callback
    /// as they are generated and returns the stored turn; <see cref="CancelAsync"/> interrupts.
    /// One question at a time.
    /// </summary>
    public sealed class PatientSocket : IDisposable
    {
        private readonly ClientWebSocket socket;
        private readonly byte[] buffer = new byte[16 * 1024];

        internal PatientSocket(ClientWebSocket socket)
        {
            this.socket = socket;
        }

        internal async Task WaitReadyAsync(CancellationToken cancellation)
        {
            var first = await ReceiveAsync(cancellation).ConfigureAwait(false);
            if (Json.Parse<SocketMessage>(first).Type != "ready") throw new MedsimApiException(0, "protocol_error", null, "expected a ready message, got " + first);
        }

        /// <param name="onSentence">Called with each sentence as it arrives (on the awaiting thread's context).</param>
        public async Task<Turn> AskAsync(string content, Action<string> onSentence, CancellationToken cancellation = default(CancellationToken))
        {
            await SendTextAsync(Json.Object("type", "message", "content", content), cancellation).ConfigureAwait(false);
            while (true)
            {
                var text = await ReceiveAsync(cancellation).ConfigureAwait(false);
                var message = Json.Parse<SocketMessage>(text);
                if (message.Type == "sentence") { if (onSentence != null) onSentence(message.Text); }
                else if (message.Type == "reply") return Json.Parse<Turn>(text);
                else if (message.Type == "error")
                    throw new MedsimApiException(0, message.Error.Code, message.Error.Param, message.Error.Message);
            }
        }

        /// <summary>
        /// Sends the next message as typed or spoken so far, as <see cref="MedsimClient.DraftAsync"/> does
        /// over HTTP; never answered (and ignored while the patient is still answering).
        /// </summary>
        public Task DraftAsync(string text, CancellationToken cancellation = default(CancellationToken))
        {
            return SendTextAsync(Json.Object("type", "draft", "text", text), cancellation);
        }

        /// <summary>Stops the reply in progress; <see cref="AskAsync"/> then returns what was said, marked Cancelled.</summary>
        public Task CancelAsync(CancellationToken cancellation = default(CancellationToken))
        {
            return SendTextAsync("{\"type\":\"cancel\"}", cancellation);
        }

        private Task SendTextAsync(string text, CancellationToken cancellation)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            return socket.SendAsync(new ArraySegment<byte>(bytes), WebSocketMessageType.Text, true, cancellation);
        }

        private async Task<string> ReceiveAsync(CancellationToken cancellation)
        {
            using (var message = new MemoryStream())
            {
                while (true)
                {
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellation).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                        throw new MedsimApiException(0, "closed", null, "the server closed the socket: " + result.CloseStatusDescription);
                    message.Write(buffer, 0, result.Count);
                    if (result.EndOfMessage) return Encoding.UTF8.GetString(message.ToArray());
                }
            }
        }

        public void Dispose()
        {
            if (socket.State == WebSocketState.Open)
            {
                try { socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).Wait(2000); }
                catch (AggregateException) { }
            }
            socket.Dispose();
        }
    }
}
