#pragma once

#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QObject>

#include <functional>

// HTTP and HTTPS GET into a file, for the worker's `fetch`. Redirects are followed (never from
// https to http); a server that stops sending for `timeoutMs` fails the fetch instead of
// hanging it; an HTTP error status fails it with the status in the message.
class Fetcher : public QObject
{
    Q_OBJECT
public:
    using Done = std::function<void(const QJsonObject &result, const QString &error)>;

    explicit Fetcher(QObject *parent = nullptr);
    // `output` empty: the URL's file name (or index.html) in the working directory.
    // `done` is called exactly once, with {"output", "bytes", "status", "contentType"} or an error.
    void fetch(const QString &url, const QString &output, int timeoutMs, Done done);

    static QString defaultOutput(const QUrl &url);

private:
    QNetworkAccessManager m_network;
};
