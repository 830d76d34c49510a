#pragma once

#include <QJsonObject>
#include <QObject>

#include <functional>

// HTTP and HTTPS GET into a file, for the worker's `fetch`, with libcurl: Qt Network (6.4) reads
// a response's header whole, however long, and offers no way to bound it. Redirects are
// followed (never from https to http); a server that stops sending for `timeoutMs`, or has not
// finished after `deadlineMs`, fails the fetch instead of hanging it; so does a header over
// MaxHeaderBytes; an HTTP error status fails it with the status in the message. The body goes
// to disk as it comes, through curl's small buffer. The fetch runs to its end before fetch()
// returns, as the worker's other operations do.
class Fetcher : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const QJsonObject &result, const QString &error)>;

    // Once, in main(), before any other thread runs (libcurl's global set-up is not thread-safe).
    static void initialize();

    explicit Fetcher(QObject *parent = nullptr);
    // `output` empty: the URL's file name (or index.html) in the working directory, or, when
    // that is taken, the first free one of name-2.ext, name-3.ext...; the answer's "output"
    // says which.
    // `done` is called exactly once, before fetch() returns, with {"output", "bytes", "status",
    // "contentType"} or an error.
    void fetch(const QString &url, const QString &output, int timeoutMs, int deadlineMs, Done done);

    static QString defaultOutput(const QUrl &url);
    // Creates the first of `name`, name-2.ext... that does not exist yet, empty, and returns it.
    static QString reserveOutput(const QString &name, QString *error);

    static constexpr qint64 MaxHeaderBytes = 256 * 1024;
    static constexpr int MaxRedirects = 20;
};
