#include "fetcher.h"

#include <osstring.h>
#include <outputfile_p.h>

#include <QFile>
#include <QFileInfo>
#include <QNetworkReply>
#include <QTimer>

#include <memory>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

using Spawnscope::OsString;
using Spawnscope::Internal::OutputFile;

Fetcher::Fetcher(QObject *parent)
    : QObject(parent)
{
}

QString Fetcher::defaultOutput(const QUrl &url)
{
    // The last segment's bytes, as wget names its file: %E9 is the byte E9, which need not be
    // UTF-8 (OsString keeps it). %2F and %00 stay as written: a name holds neither.
    const QByteArray encoded = url.path(QUrl::FullyEncoded).toLatin1();
    const QByteArray segment = encoded.mid(encoded.lastIndexOf('/') + 1);
    QByteArray name = QByteArray::fromPercentEncoding(segment);
    if (name.contains('/') || name.contains('\0'))
        name = segment;
    return name.isEmpty() || name == "." || name == ".." ? QStringLiteral("index.html") : OsString::decode(name);
}

QString Fetcher::reserveOutput(const QString &name, QString *error)
{
    const QFileInfo info(name);
    const QString dir = info.path() == QLatin1String(".") ? QString() : info.path() + QLatin1Char('/');
    const QString stem = info.baseName().isEmpty() ? info.fileName() : info.baseName();
    const QString suffix = info.baseName().isEmpty() || info.completeSuffix().isEmpty() ? QString() : QLatin1Char('.') + info.completeSuffix();
    for (int n = 1; n < 10000; ++n) {
        const QString candidate = n == 1 ? name : QStringLiteral("%1%2-%3%4").arg(dir, stem).arg(n).arg(suffix);
        // Created exclusively: another worker fetching the same name at the same moment gets
        // the next one, never this one.
        const int fd = OsString::open(candidate, O_WRONLY | O_CREAT | O_EXCL);
        if (fd >= 0) {
            ::close(fd);
            return candidate;
        }
        if (errno != EEXIST) {
            *error = QStringLiteral("fetch: cannot write %1: %2").arg(OsString::readable(candidate), QString::fromLocal8Bit(std::strerror(errno)));
            return {};
        }
    }
    *error = QStringLiteral("fetch: %1 and 9,999 numbered copies of it already exist").arg(OsString::readable(name));
    return {};
}

void Fetcher::fetch(const QString &urlText, const QString &output, int timeoutMs, int deadlineMs, Done done)
{
    const QUrl url(urlText, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https")) || url.host().isEmpty()) {
        done({}, QStringLiteral("fetch: %1 is not an http or https URL").arg(urlText));
        return;
    }
    QString target = output;
    if (target.isEmpty()) {
        QString error;
        target = reserveOutput(defaultOutput(url), &error);
        if (target.isEmpty()) {
            done({}, error);
            return;
        }
    }
    // A name this fetch reserved is given back when it fails; a name the caller chose is theirs.
    const QString reserved = output.isEmpty() ? target : QString();
    auto file = std::make_shared<OutputFile>(target);
    QString why;
    if (!file->open(&why)) {
        if (!reserved.isEmpty())
            ::unlink(OsString::encode(reserved).constData());
        done({}, QStringLiteral("fetch: cannot write %1: %2").arg(OsString::readable(target), why));
        return;
    }
    QNetworkRequest request(url);
    request.setTransferTimeout(timeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::NoLessSafeRedirectPolicy);
    request.setHeader(QNetworkRequest::UserAgentHeader, QStringLiteral("spawnscope-worker"));
    QNetworkReply *reply = m_network.get(request);
    // Without a bound, the reply reads ahead of the disk as fast as the network gives: a large
    // body would end up in memory whole.
    reply->setReadBufferSize(ReadBufferBytes);
    auto bytes = std::make_shared<qint64>(0);
    auto failed = std::make_shared<QString>();
    // The transfer timeout only notices silence: a server trickling a byte at a time would
    // hold the fetch for ever.
    auto *deadline = new QTimer(reply);
    deadline->setSingleShot(true);
    deadline->start(deadlineMs);
    connect(deadline, &QTimer::timeout, reply, [reply, bytes, failed, urlText, timeoutMs, deadlineMs] {
        // A server that never answered is said to be silent, whichever limit noticed first.
        const bool silent = *bytes == 0 && !reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).isValid() && deadlineMs >= timeoutMs;
        if (failed->isEmpty())
            *failed = silent ? QStringLiteral("fetch: %1: no data for %2 ms, gave up").arg(urlText).arg(timeoutMs)
                             : QStringLiteral("fetch: %1: not done after %2 ms, gave up").arg(urlText).arg(deadlineMs);
        reply->abort();
    });
    connect(reply, &QNetworkReply::readyRead, this, [reply, file, bytes, failed, target] {
        const QByteArray data = reply->readAll();
        *bytes += data.size();
        if (failed->isEmpty() && file->write(data) != data.size()) {
            *failed = QStringLiteral("fetch: cannot write %1: %2").arg(OsString::readable(target), file->errorString());
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::finished, this, [reply, file, bytes, failed, target, reserved, urlText, timeoutMs, done] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        QString error = *failed;
        if (error.isEmpty() && reply->error() == QNetworkReply::OperationCanceledError)
            error = QStringLiteral("fetch: %1: no data for %2 ms, gave up").arg(urlText).arg(timeoutMs);
        else if (error.isEmpty() && status >= 400)
            error = QStringLiteral("fetch: %1: HTTP %2 %3").arg(urlText).arg(status)
                        .arg(reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString());
        else if (error.isEmpty() && reply->error() != QNetworkReply::NoError)
            error = QStringLiteral("fetch: %1: %2").arg(urlText, reply->errorString());
        if (error.isEmpty()) {
            const QByteArray rest = reply->readAll();
            *bytes += rest.size();
            QString why;
            if (file->write(rest) != rest.size())
                why = file->errorString();
            if (!why.isEmpty() || !file->commit(&why)) {
                file->cancel();
                error = QStringLiteral("fetch: cannot write %1: %2").arg(OsString::readable(target), why);
            }
        } else {
            file->cancel();
        }
        if (!error.isEmpty()) {
            if (!reserved.isEmpty())
                ::unlink(OsString::encode(reserved).constData());
            done({}, error);
            return;
        }
        done({{QStringLiteral("output"), target},
              {QStringLiteral("bytes"), double(*bytes)},
              {QStringLiteral("status"), status},
              {QStringLiteral("contentType"), reply->header(QNetworkRequest::ContentTypeHeader).toString()}},
             {});
    });
}
