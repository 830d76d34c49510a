#include "fetcher.h"

#include <osstring.h>
#include <outputfile_p.h>

#include <QElapsedTimer>
#include <QFileInfo>
#include <QUrl>

#include <curl/curl.h>

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

using Spawnscope::OsString;
using Spawnscope::Internal::OutputFile;

namespace {

// One response's progress, shared with curl's callbacks (a redirect starts a new one).
struct Transfer
{
    OutputFile *file = nullptr;
    QString target;
    QString url;
    int timeoutMs = 0;
    QElapsedTimer clock;
    qint64 lastDataMs = 0;  // when the server last sent anything
    qint64 bytes = 0;       // of the body written
    qint64 headerBytes = 0; // of the headers of this request's responses, 1xx included
    int status = 0;
    QByteArray reason;
    bool answered = false;  // a status line came
    QString failed;         // why a callback stopped the transfer
};

size_t onHeader(char *data, size_t size, size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const size_t n = size * count;
    t->lastDataMs = t->clock.elapsed();
    const QByteArray line = QByteArray::fromRawData(data, qsizetype(n));
    if (line.startsWith("HTTP/")) {
        // The status line of the response, or of an interim 1xx one: all of them count towards
        // the limit together, so that endless 1xx responses cannot each start afresh.
        t->answered = true;
        const QList<QByteArray> parts = line.trimmed().split(' ');
        t->status = parts.value(1).toInt();
        t->reason = parts.mid(2).join(' ');
    }
    t->headerBytes += qint64(n);
    // curl itself refuses a single line over 100 KiB; a header of endless lines is cut here.
    if (t->headerBytes > Fetcher::MaxHeaderBytes) {
        t->failed = QStringLiteral("fetch: %1: the response's header is over %2 KiB, gave up").arg(t->url).arg(Fetcher::MaxHeaderBytes / 1024);
        return 0;
    }
    return n;
}

size_t onBody(char *data, size_t size, size_t count, void *user)
{
    auto *t = static_cast<Transfer *>(user);
    const size_t n = size * count;
    t->lastDataMs = t->clock.elapsed();
    if (t->status >= 300 && t->status < 400)
        return n; // a redirect's own body, not the file
    if (t->status >= 400)
        return 0; // the error is the status; the page that says it is not the file
    if (t->file->write(QByteArray::fromRawData(data, qsizetype(n))) != qint64(n)) {
        t->failed = QStringLiteral("fetch: cannot write %1: %2").arg(OsString::readable(t->target), t->file->errorString());
        return 0;
    }
    t->bytes += qint64(n);
    return n;
}

// Called as data comes and at least once a second without: the silence limit, noticed within
// a second, where curl's own low-speed limit takes whole seconds and a rate.
int onProgress(void *user, curl_off_t, curl_off_t, curl_off_t, curl_off_t)
{
    auto *t = static_cast<Transfer *>(user);
    if (t->clock.elapsed() - t->lastDataMs < t->timeoutMs)
        return 0;
    t->failed = QStringLiteral("fetch: %1: no data for %2 ms, gave up").arg(t->url).arg(t->timeoutMs);
    return 1;
}

} // namespace

Fetcher::Fetcher(QObject *parent)
    : QObject(parent)
{
}

void Fetcher::initialize()
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
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
    OutputFile file(target);
    QString why;
    if (!file.open(&why)) {
        if (!reserved.isEmpty())
            ::unlink(OsString::encode(reserved).constData());
        done({}, QStringLiteral("fetch: cannot write %1: %2").arg(OsString::readable(target), why));
        return;
    }

    Transfer t;
    t.file = &file;
    t.target = target;
    t.url = urlText;
    t.timeoutMs = timeoutMs;
    t.clock.start();
    char curlError[CURL_ERROR_SIZE] = {};
    CURL *curl = curl_easy_init();
    if (!curl) {
        file.cancel();
        if (!reserved.isEmpty())
            ::unlink(OsString::encode(reserved).constData());
        done({}, QStringLiteral("fetch: %1: libcurl could not be started").arg(urlText));
        return;
    }
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, curlError);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "spawnscope-worker");
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, onHeader);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, onBody);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, onProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &t);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, long(timeoutMs));

    // Redirects are followed here rather than by curl, which would follow https to http.
    QString error;
    QByteArray current = url.toEncoded();
    for (int hop = 0;; ++hop) {
        const qint64 left = deadlineMs - t.clock.elapsed();
        if (left <= 0) {
            error = QStringLiteral("fetch: %1: not done after %2 ms, gave up").arg(urlText).arg(deadlineMs);
            break;
        }
        curl_easy_setopt(curl, CURLOPT_URL, current.constData());
        curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, long(left));
        t.status = 0;
        t.headerBytes = 0;
        t.lastDataMs = t.clock.elapsed();
        curlError[0] = 0;
        const CURLcode code = curl_easy_perform(curl);
        if (!t.failed.isEmpty() && !(code == CURLE_WRITE_ERROR && t.status >= 400)) {
            error = t.failed;
            break;
        }
        if (code == CURLE_OPERATION_TIMEDOUT) {
            // A server that never answered is said to be silent, whichever limit noticed first.
            const bool silent = t.bytes == 0 && !t.answered && deadlineMs >= timeoutMs;
            error = silent ? QStringLiteral("fetch: %1: no data for %2 ms, gave up").arg(urlText).arg(timeoutMs)
                           : QStringLiteral("fetch: %1: not done after %2 ms, gave up").arg(urlText).arg(deadlineMs);
            break;
        }
        if (t.status >= 400) {
            error = QStringLiteral("fetch: %1: HTTP %2 %3").arg(urlText).arg(t.status).arg(QString::fromLatin1(t.reason));
            break;
        }
        if (code == CURLE_OUT_OF_MEMORY && t.answered && t.bytes == 0) {
            // How curl 7.88 refuses a header line over its 100 KiB (CURL_MAX_HTTP_HEADER); no
            // allocation of that size fails otherwise.
            error = QStringLiteral("fetch: %1: a line of the response's header is over 100 KiB, gave up").arg(urlText);
            break;
        }
        if (code != CURLE_OK) {
            QString text = curlError[0] ? QString::fromLocal8Bit(curlError) : QString::fromLatin1(curl_easy_strerror(code));
            long osErrno = 0;
            curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &osErrno);
            if (code == CURLE_COULDNT_CONNECT && osErrno != 0)
                text += QStringLiteral(" (%1)").arg(QString::fromLocal8Bit(std::strerror(int(osErrno))));
            error = QStringLiteral("fetch: %1: %2").arg(urlText, text);
            break;
        }
        char *location = nullptr;
        curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
        if (t.status < 300 || t.status >= 400)
            break;
        if (!location) {
            error = QStringLiteral("fetch: %1: HTTP %2 %3 without a Location to go to").arg(urlText).arg(t.status).arg(QString::fromLatin1(t.reason));
            break;
        }
        const QUrl next(QString::fromLatin1(location));
        if (hop >= MaxRedirects) {
            error = QStringLiteral("fetch: %1: more than %2 redirects, gave up").arg(urlText).arg(MaxRedirects);
            break;
        }
        if (QUrl::fromEncoded(current).scheme() == QLatin1String("https") && next.scheme() != QLatin1String("https")) {
            error = QStringLiteral("fetch: %1: redirected from https to %2, which is less safe; not followed").arg(urlText, next.toString());
            break;
        }
        current = location;
    }
    char *contentType = nullptr;
    curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &contentType);
    const QString type = contentType ? QString::fromLatin1(contentType) : QString();
    curl_easy_cleanup(curl);

    if (error.isEmpty() && !file.commit(&why))
        error = QStringLiteral("fetch: cannot write %1: %2").arg(OsString::readable(target), why);
    if (!error.isEmpty()) {
        file.cancel();
        if (!reserved.isEmpty())
            ::unlink(OsString::encode(reserved).constData());
        done({}, error);
        return;
    }
    done({{QStringLiteral("output"), target},
          {QStringLiteral("bytes"), double(t.bytes)},
          {QStringLiteral("status"), t.status},
          {QStringLiteral("contentType"), type}},
         {});
}
