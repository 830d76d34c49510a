#include "appearance.h"

#include <colours.h>

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>
#include <QStyleHints>

namespace Spawnscope::Ui {

namespace {

Appearance::Mode current = Appearance::Mode::System;
QString systemStyle; // the style the platform chose, to go back to

bool systemPrefersDark()
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    if (QGuiApplication::styleHints()->colorScheme() != Qt::ColorScheme::Unknown)
        return QGuiApplication::styleHints()->colorScheme() == Qt::ColorScheme::Dark;
#endif
    // Before Qt 6.5 there is no colour scheme to ask; a GTK theme named dark is the common hint.
    return qEnvironmentVariable("GTK_THEME").endsWith(QLatin1String(":dark"), Qt::CaseInsensitive);
}

} // namespace

void Appearance::apply(Mode mode)
{
    current = mode;
    if (systemStyle.isEmpty() && QApplication::style())
        systemStyle = QApplication::style()->name();
    const bool dark = mode == Mode::Dark || (mode == Mode::System && systemPrefersDark());
    if (mode == Mode::System && !dark) {
        if (QApplication::style() && QApplication::style()->name() != systemStyle)
            QApplication::setStyle(QStyleFactory::create(systemStyle));
        QApplication::setPalette(QPalette()); // nothing set: the platform's palette shows through
        return;
    }
    if (QApplication::style() && QApplication::style()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette light = QApplication::style()->standardPalette();
    // Fusion's own blue under white text falls short of 4.5:1; a deeper one does not.
    light.setColor(QPalette::Active, QPalette::Highlight, QColor(0x24, 0x6b, 0xb3));
    light.setColor(QPalette::Inactive, QPalette::Highlight, QColor(0x24, 0x6b, 0xb3));
    QApplication::setPalette(dark ? Colours::darkPalette() : light);
}

Appearance::Mode Appearance::mode()
{
    return current;
}

QString Appearance::name(Mode mode)
{
    switch (mode) {
    case Mode::System: return QStringLiteral("system");
    case Mode::Light: return QStringLiteral("light");
    case Mode::Dark: return QStringLiteral("dark");
    }
    return {};
}

std::optional<Appearance::Mode> Appearance::fromName(const QString &name)
{
    for (Mode m : {Mode::System, Mode::Light, Mode::Dark}) {
        if (Appearance::name(m) == name)
            return m;
    }
    return std::nullopt;
}

} // namespace Spawnscope::Ui
