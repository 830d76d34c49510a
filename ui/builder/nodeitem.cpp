#include "nodeitem.h"

#include "builderscene.h"

#include <colours.h>
#include <shellline.h>

#include <QFileInfo>
#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

namespace Spawnscope::Ui {

namespace {

constexpr double LastLineHeight = 18;
constexpr int LastLineChars = 40;

QColor statusColour(const StageStatus &s, const QPalette &palette)
{
    using K = StageStatus::Kind;
    switch (s.kind) {
    case K::Succeeded: return Colours::okColor(palette);
    case K::Stopped:
    case K::BrokenPipe: return Colours::warningColor(palette);
    case K::Running:
    case K::Starting: return palette.color(QPalette::Link); // Highlight is a fill colour: too dark as text on a dark node
    case K::Idle: return palette.color(QPalette::PlaceholderText);
    default: return s.isBad() ? Colours::errorColor(palette) : palette.color(QPalette::Text);
    }
}

} // namespace

NodeItem::NodeItem(int stage)
    : m_stage(stage)
{
    setFlags(ItemIsMovable | ItemIsSelectable | ItemIsFocusable | ItemSendsGeometryChanges);
    setCacheMode(DeviceCoordinateCache);
    setAcceptHoverEvents(true);
}

BuilderScene *NodeItem::builder() const
{
    return static_cast<BuilderScene *>(scene());
}

void NodeItem::setSpec(const StageSpec &spec)
{
    if (spec == m_spec)
        return;
    m_spec = spec;
    updateToolTip();
    update();
}

QString NodeItem::title() const
{
    return titleOf(m_spec);
}

QString NodeItem::titleOf(const StageSpec &spec)
{
    switch (spec.mode) {
    // A file by its name; where it is, the subtitle says.
    case StageSpec::Mode::ReadFile: return QStringLiteral("< %1").arg(QFileInfo(spec.stdinFile).fileName());
    case StageSpec::Mode::WriteFile:
        return QStringLiteral("%1 %2").arg(spec.stdoutFile.append ? QStringLiteral(">>") : QStringLiteral(">"), QFileInfo(spec.stdoutFile.path).fileName());
    default: break;
    }
    const QString name = spec.displayName();
    return name.isEmpty() ? QStringLiteral("(no program)") : name;
}

QString NodeItem::subtitle() const
{
    switch (m_spec.mode) {
    case StageSpec::Mode::ReadFile: return QStringLiteral("read from %1").arg(m_spec.stdinFile);
    case StageSpec::Mode::WriteFile: return QStringLiteral("%1 %2").arg(m_spec.stdoutFile.append ? QStringLiteral("appended to") : QStringLiteral("written to"), m_spec.stdoutFile.path);
    case StageSpec::Mode::Exec: return m_spec.command.isEmpty() ? QStringLiteral("sh -c (empty)") : m_spec.command;
    default: break;
    }
    QStringList words;
    for (const QString &a : m_spec.args)
        words << ShellLine::quote(a);
    QString out = words.join(QLatin1Char(' '));
    QStringList redirections;
    if (!m_spec.stdinFile.isEmpty())
        redirections << QStringLiteral("< %1").arg(m_spec.stdinFile);
    if (m_spec.stdoutFile.isSet())
        redirections << QStringLiteral("%1 %2").arg(m_spec.stdoutFile.append ? QStringLiteral(">>") : QStringLiteral(">"), m_spec.stdoutFile.path);
    if (m_spec.mergeStderr)
        redirections << QStringLiteral("2>&1");
    else if (m_spec.stderrFile.isSet())
        redirections << QStringLiteral("%1 %2").arg(m_spec.stderrFile.append ? QStringLiteral("2>>") : QStringLiteral("2>"), m_spec.stderrFile.path);
    if (!redirections.isEmpty())
        out += (out.isEmpty() ? QString() : QStringLiteral(" ")) + redirections.join(QLatin1Char(' '));
    return out;
}

void NodeItem::setStatus(const StageStatus &status, const QString &details)
{
    if (status == m_status && details == m_details)
        return;
    m_status = status;
    m_details = details;
    updateToolTip();
    update();
}

void NodeItem::setLastLine(const QString &line)
{
    if (line == m_lastLine)
        return;
    m_lastLine = line;
    update();
}

void NodeItem::setBlocked(bool blocked)
{
    if (blocked == m_blocked)
        return;
    m_blocked = blocked;
    updateToolTip();
    update();
}

void NodeItem::setProblem(const QString &problem)
{
    if (problem == m_problem)
        return;
    m_problem = problem;
    updateToolTip();
    update();
}

void NodeItem::setHint(Port port, Hint hint)
{
    if (m_hints[int(port)] == hint)
        return;
    m_hints[int(port)] = hint;
    update();
}

void NodeItem::clearHints()
{
    for (Port p : {Port::Stdin, Port::Stdout, Port::Stderr})
        setHint(p, Hint::None);
}

void NodeItem::updateToolTip()
{
    QStringList lines{QStringLiteral("<b>%1</b> (stage %2)").arg(title().toHtmlEscaped()).arg(m_stage)};
    if (!subtitle().isEmpty() && !m_spec.isFile())
        lines << subtitle().toHtmlEscaped();
    lines << QStringLiteral("%1 %2").arg(m_status.icon, m_status.text.toHtmlEscaped());
    if (!m_details.isEmpty())
        lines << m_details.toHtmlEscaped();
    if (m_blocked)
        lines << QStringLiteral("blocked on stdout: its reader does not keep up");
    if (!m_problem.isEmpty())
        lines << QStringLiteral("⚠ %1").arg(m_problem.toHtmlEscaped());
    setToolTip(lines.join(QStringLiteral("<br>")));
}

bool NodeItem::hasPort(Port port) const
{
    switch (port) {
    case Port::Stdin: return m_spec.mode != StageSpec::Mode::ReadFile;
    case Port::Stdout: return m_spec.mode != StageSpec::Mode::WriteFile;
    case Port::Stderr: return !m_spec.isFile();
    case Port::None: break;
    }
    return false;
}

QPointF NodeItem::portPos(Port port) const
{
    switch (port) {
    case Port::Stdin: return mapToScene(QPointF(0, Height / 2));
    case Port::Stdout: return mapToScene(QPointF(Width, m_spec.isFile() ? Height / 2 : 32));
    case Port::Stderr: return mapToScene(QPointF(Width, 56));
    case Port::None: break;
    }
    return mapToScene(QPointF(Width / 2, Height / 2));
}

Port NodeItem::portAt(const QPointF &scenePos, double reach) const
{
    Port best = Port::None;
    double bestDistance = reach;
    for (Port p : {Port::Stdin, Port::Stdout, Port::Stderr}) {
        if (!hasPort(p))
            continue;
        const QPointF d = portPos(p) - scenePos;
        const double distance = std::hypot(d.x(), d.y());
        if (distance <= bestDistance) {
            best = p;
            bestDistance = distance;
        }
    }
    return best;
}

QRectF NodeItem::boundingRect() const
{
    const double grow = PortRadius + 4;
    return QRectF(-grow, -2, Width + 2 * grow, Height + LastLineHeight + 4);
}

QPainterPath NodeItem::shape() const
{
    QPainterPath path;
    path.setFillRule(Qt::WindingFill); // the ports' discs overlap the body: both count
    path.addRoundedRect(QRectF(0, 0, Width, Height), 6, 6);
    for (Port p : {Port::Stdin, Port::Stdout, Port::Stderr}) {
        if (hasPort(p))
            path.addEllipse(mapFromScene(portPos(p)), PortRadius + 3, PortRadius + 3);
    }
    return path;
}

void NodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const QPalette palette = scene() ? scene()->palette() : QPalette();
    const bool selected = option->state & QStyle::State_Selected;
    const QColor error = Colours::errorColor(palette);
    const QRectF body(0, 0, Width, Height);
    painter->setRenderHint(QPainter::Antialiasing);

    QPen border(selected ? palette.color(QPalette::Highlight) : palette.color(QPalette::Mid), selected ? 2.5 : 1.2);
    if (!m_problem.isEmpty()) {
        border.setColor(error);
        border.setStyle(Qt::DashLine);
    }
    if (m_blocked) {
        border.setColor(error);
        border.setWidth(2);
    }
    painter->setPen(border);
    painter->setBrush(m_spec.isFile() ? palette.color(QPalette::AlternateBase) : palette.color(QPalette::Base));
    painter->drawRoundedRect(body, 6, 6);

    QFont titleFont = scene() ? scene()->font() : QFont();
    titleFont.setBold(true);
    QFont small = titleFont;
    small.setBold(false);
    small.setPointSizeF(std::max(6.0, titleFont.pointSizeF() * 0.85));
    const double textLeft = 22; // clear of the stdin port and its name
    const double titleWidth = Width - 2 * textLeft;
    const double textWidth = Width - textLeft - 42; // clear of the ports' names

    painter->setFont(titleFont);
    painter->setPen(palette.color(QPalette::Text));
    QFontMetricsF tm(titleFont);
    QString heading = title();
    if (!m_problem.isEmpty())
        heading = QStringLiteral("⚠ ") + heading;
    painter->drawText(QRectF(textLeft, 4, titleWidth, 20), Qt::AlignLeft | Qt::AlignVCenter, tm.elidedText(heading, Qt::ElideRight, titleWidth));

    painter->setFont(small);
    QFontMetricsF sm(small);
    // What it runs, quieter than its name but well readable: two thirds of the way to the text.
    const QColor text = palette.color(QPalette::Text), base = palette.color(QPalette::Base);
    painter->setPen(QColor::fromRgbF(base.redF() + (text.redF() - base.redF()) * 0.72, base.greenF() + (text.greenF() - base.greenF()) * 0.72,
                                     base.blueF() + (text.blueF() - base.blueF()) * 0.72));
    painter->drawText(QRectF(textLeft, 24, textWidth, 18), Qt::AlignLeft | Qt::AlignVCenter, sm.elidedText(subtitle(), m_spec.isFile() ? Qt::ElideMiddle : Qt::ElideRight, textWidth));

    // The badge: icon and text, coloured, never colour alone.
    const QString badge = m_blocked ? QStringLiteral("‖ blocked on stdout") : m_status.label();
    painter->setPen(m_blocked ? error : statusColour(m_status, palette));
    painter->drawText(QRectF(textLeft, 48, textWidth, 20), Qt::AlignLeft | Qt::AlignVCenter, sm.elidedText(badge, Qt::ElideRight, textWidth));

    // Ports, with the stream's name beside each inside the node.
    for (Port p : {Port::Stdin, Port::Stdout, Port::Stderr}) {
        if (!hasPort(p))
            continue;
        const QPointF at = mapFromScene(portPos(p));
        const Hint hint = m_hints[int(p)];
        const double r = hint == Hint::Hot ? PortRadius + 3 : hint == Hint::Compatible ? PortRadius + 1.5 : PortRadius;
        QColor fill = p == Port::Stderr ? error : palette.color(QPalette::Highlight);
        if (p == Port::Stdout && m_blocked)
            fill = error;
        if (hint == Hint::Incompatible)
            fill = palette.color(QPalette::Disabled, QPalette::Text);
        painter->setPen(QPen(palette.color(QPalette::Base), 1.5));
        painter->setBrush(fill);
        painter->drawEllipse(at, r, r);
        painter->setPen(palette.color(QPalette::PlaceholderText));
        const QString name = p == Port::Stdin ? QStringLiteral("in") : p == Port::Stdout ? QStringLiteral("out") : QStringLiteral("err");
        if (p == Port::Stdin)
            painter->drawText(QRectF(at.x() + 7, at.y() - 8, 16, 16), Qt::AlignLeft | Qt::AlignVCenter, name);
        else if (!m_spec.isFile())
            painter->drawText(QRectF(at.x() - 38, at.y() - 8, 29, 16), Qt::AlignRight | Qt::AlignVCenter, name);
    }

    if (!m_lastLine.isEmpty()) {
        QString line = m_lastLine;
        if (line.size() > LastLineChars)
            line = line.left(LastLineChars - 1) + QStringLiteral("…");
        QFont italic = small;
        italic.setItalic(true);
        painter->setFont(italic);
        painter->setPen(palette.color(QPalette::PlaceholderText));
        painter->drawText(QRectF(2, Height + 2, Width - 4, LastLineHeight), Qt::AlignLeft | Qt::AlignVCenter,
                          QFontMetricsF(italic).elidedText(line, Qt::ElideRight, Width - 4));
    }
}

QVariant NodeItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemPositionChange && builder() && builder()->snapToGrid() && !builder()->isSyncing()) {
        const QPointF at = value.toPointF();
        const double g = BuilderScene::GridSize;
        return QPointF(std::round(at.x() / g) * g, std::round(at.y() / g) * g);
    }
    if (change == ItemPositionHasChanged && builder())
        builder()->nodeMoved(m_stage);
    return QGraphicsItem::itemChange(change, value);
}

} // namespace Spawnscope::Ui
