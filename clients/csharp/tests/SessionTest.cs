// Holds a three-turn session against a live `medsim serve` (run by test/csharp-client.test.ts):
// a draft over HTTP (and an over-long one, expects 400), turn 1 over HTTP, a draft and turn 2
// streamed over the WebSocket, turn 3 over HTTP; then an examination, an unknown session
// (expects 404), and the end (drafts add nothing to the transcript). Prints one line per step; exits non-zero on failure.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Medsim;

public static class SessionTest
{
    private static void Check(bool condition, string what)
    {
        if (!condition) throw new Exception("check failed: " + what);
    }

    private static async Task Run(string baseUrl, string apiKey)
    {
        using (var client = new MedsimClient(baseUrl, apiKey))
        {
            var session = await client.CreateSessionAsync("dengue-fever", "anxious");
            Check(session.Id.StartsWith("ses_"), "session id");
            Console.WriteLine("session " + session.Id + " patient " + session.Case.Patient.Name);

            // Drafts (speech recognition's interim text) are accepted at once and never answered.
            var accepted = await client.DraftAsync(session.Id, "What brings");
            Check(accepted.Accepted && accepted.SessionId == session.Id, "draft accepted");
            Console.WriteLine("draft: accepted for " + accepted.SessionId);
            try
            {
                await client.DraftAsync(session.Id, new string('a', 4001));
                Check(false, "an over-long draft must fail");
            }
            catch (MedsimApiException error)
            {
                Check(error.Status == 400 && error.Param == "text", "400 naming text");
                Console.WriteLine("long draft: " + error.Status + " " + error.Param);
            }

            var first = await client.SendAsync(session.Id, "What brings you in today?");
            Check(first.Index == 1 && first.Reply.Length > 0, "turn 1");
            Console.WriteLine("turn 1: " + first.Reply);

            var sentences = new List<string>();
            Turn second;
            using (var socket = await client.ConnectAsync(session.Id))
            {
                await socket.DraftAsync("Are you taking any");
                second = await socket.AskAsync("Are you taking any medicines?", sentence => sentences.Add(sentence));
            }
            Check(second.Index == 3, "turn 2 index");
            Check(sentences.Count > 0 && string.Join(" ", sentences) == second.Reply, "turn 2 streamed sentences");
            Console.WriteLine("turn 2 (" + sentences.Count + " sentences): " + second.Reply);

            var third = await client.SendAsync(session.Id, "Do you smoke?");
            Check(third.Index == 5, "turn 3 index");
            Console.WriteLine("turn 3: " + third.Reply);

            var exam = await client.ExamineAsync(session.Id, "abdomen");
            Check(exam.Result != null && exam.Result.Length > 0, "examination");
            Console.WriteLine("abdomen: " + exam.Result);

            try
            {
                await client.SendAsync("ses_does_not_exist", "Hello");
                Check(false, "unknown session must fail");
            }
            catch (MedsimApiException error)
            {
                Check(error.Status == 404 && error.Code == "not_found", "404 not_found");
                Console.WriteLine("unknown session: " + error.Status + " " + error.Code);
            }

            var ended = await client.EndAsync(session.Id);
            Check(ended.Status == "ended" && ended.Transcript.Length == 6, "ended with six transcript entries");
            Console.WriteLine("ended: " + ended.Transcript.Length + " transcript entries, " + ended.DisclosedFacts.Length + " facts disclosed");
        }
    }

    public static int Main(string[] args)
    {
        try
        {
            Run(args[0], args.Length > 1 ? args[1] : null).GetAwaiter().GetResult();
            Console.WriteLine("OK");
            return 0;
        }
        catch (Exception error)
        {
            Console.Error.WriteLine("FAILED: " + error);
            return 1;
        }
    }
}
